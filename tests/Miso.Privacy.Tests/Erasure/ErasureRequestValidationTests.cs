using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Json;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Tests.Erasure;

/// <summary>The create body's rules, as a function; the HTTP tests check that a rejected body also writes nothing.</summary>
public sealed class ErasureRequestValidationTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    static readonly EnvironmentNames Configured = new(["production", "development"]);

    static CreateErasureRequestBody Body(List<string?>? userIds = null, List<string?>? anonymousIds = null, string? regulation = null,
        string? requestedBy = "support:alice", string? reason = null, string? ticket = null, DateTimeOffset? submittedAt = null,
        List<string?>? environments = null) =>
        new(userIds ?? ["u1"], anonymousIds, regulation, requestedBy, reason, ticket, submittedAt, environments);

    static string[] Fields(CreateErasureRequestBody body)
    {
        var (request, errors) = ErasureRequestValidation.Validate(body, Now, Configured);
        Assert.True(request is null == errors is not null);
        return errors?.Keys.Order().ToArray() ?? [];
    }

    public static TheoryData<string, CreateErasureRequestBody, string> Rejected() => new()
    {
        { "no subjects", Body(userIds: []), "user_ids" },
        { "empty id", Body(userIds: [""]), "user_ids" },
        { "blank id", Body(userIds: ["   "]), "user_ids" },
        { "null id", Body(userIds: [null]), "user_ids" },
        { "user id too long", Body(userIds: [new string('u', 513)]), "user_ids" },
        { "anonymous id too long", Body(anonymousIds: [new string('a', 1025)]), "anonymous_ids" },
        { "NUL in an id", Body(userIds: ["nul\0byte"]), "user_ids" },
        { "lone surrogate in an id", Body(userIds: ["lone\ud800"]), "user_ids" },
        { "no requester", Body(requestedBy: null), "requested_by" },
        { "blank requester", Body(requestedBy: "  "), "requested_by" },
        { "requester too long", Body(requestedBy: new string('r', 201)), "requested_by" },
        { "unknown regulation", Body(regulation: "hipaa"), "regulation" },
        { "regulation in capitals", Body(regulation: "GDPR"), "regulation" },
        { "regulation as a number", Body(regulation: "1"), "regulation" },
        { "reason too long", Body(reason: new string('r', 2001)), "reason" },
        { "ticket too long", Body(ticket: new string('t', 201)), "ticket" },
        { "submitted in the future", Body(submittedAt: Now.AddMinutes(1)), "submitted_at" },
        { "submitted too long ago", Body(submittedAt: Now.AddYears(-11)), "submitted_at" },
        { "no environments", Body(environments: []), "environments" },
        { "unknown environment", Body(environments: ["staging"]), "environments" },
        { "environment in capitals", Body(environments: ["Production"]), "environments" },
        { "null environment", Body(environments: [null]), "environments" },
        { "environment twice", Body(environments: ["production", "production"]), "environments" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Validate_RejectsTheBody_NamingTheField(string rule, CreateErasureRequestBody body, string field) =>
        Assert.True(Fields(body).SequenceEqual([field]), $"{rule}: {string.Join(", ", Fields(body))}");

    [Fact]
    public void Validate_DefaultsToGdpr_AndKeepsTheFirstOfEachDuplicate()
    {
        var (request, errors) = ErasureRequestValidation.Validate(Body(userIds: ["b", "a", "b"], anonymousIds: ["x", "x"]), Now, Configured);
        Assert.Null(errors);
        Assert.Equal(Regulation.Gdpr, request!.Regulation);
        Assert.Equal(["b", "a"], request.UserIds);
        Assert.Equal(["x"], request.AnonymousIds);
        Assert.Null(request.Environments);
    }

    [Fact]
    public void Validate_SortsTheEnvironmentsNamed_SoTheSameSetIsTheSameRequest()
    {
        var (request, _) = ErasureRequestValidation.Validate(Body(environments: ["production", "development"]), Now, Configured);
        Assert.Equal(["development", "production"], request!.Environments);
    }

    [Fact]
    public void Fingerprint_OfABodyWithoutEnvironments_IsWhatItWasBeforeThereWereAny()
    {
        // Idempotency keys stored before environments existed must still replay: the command serializes as it did.
        var (request, _) = ErasureRequestValidation.Validate(Body(), Now, Configured);
        var json = System.Text.Json.JsonSerializer.Serialize(request, ApiJson.Options);
        Assert.Equal("""{"user_ids":["u1"],"anonymous_ids":[],"regulation":"gdpr","requested_by":"support:alice","reason":null,"ticket":null,"submitted_at":null}""", json);
    }

    [Fact]
    public void Validate_AcceptsExactlyTheLimits()
    {
        var users = Enumerable.Range(0, ErasureRequestValidation.MaxSubjects - 1).Select(i => (string?)$"u{i}").Append(new string('u', 512)).ToList();
        Assert.Empty(Fields(Body(userIds: users, anonymousIds: [], regulation: "ccpa", requestedBy: new string('r', 200),
            reason: new string('r', 2000), ticket: new string('t', 200), submittedAt: Now)));
        Assert.Equal(["user_ids"], Fields(Body(userIds: [.. users, "one more"])));
    }

    [Fact]
    public void Validate_ReportsEveryBadField_AndAtMostTenProblemsPerList()
    {
        var (_, errors) = ErasureRequestValidation.Validate(
            Body(userIds: Enumerable.Repeat<string?>("", 50).ToList(), regulation: "x", requestedBy: null), Now, Configured);
        Assert.Equal(["regulation", "requested_by", "user_ids"], errors!.Keys.Order());
        Assert.Equal(10, errors["user_ids"].Length);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("  ", true)]
    [InlineData("nul\0", true)]
    [InlineData("came back with consent", false)]
    public void ReasonBody_RequiresAStorableReason(string? reason, bool rejected) =>
        Assert.Equal(rejected, new ReasonBody(reason).Validate() is { } errors && errors.ContainsKey("reason"));
}
