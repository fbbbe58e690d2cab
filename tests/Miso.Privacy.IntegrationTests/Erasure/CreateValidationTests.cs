using System.Net;
using System.Text;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Erasure;

/// <summary>Every rule of the create body: a 4xx naming the field, and not one row written anywhere.</summary>
public sealed class CreateValidationTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    const string Requests = "/api/v1/erasure-requests";
    static readonly string[] Tables = ["erasure_requests", "request_subjects", "suppressions", "audit_events"];

    public static TheoryData<string, string> BadBodies() => new()
    {
        { """{"requested_by": "t"}""", "user_ids" },
        { """{"user_ids": [], "anonymous_ids": [], "requested_by": "t"}""", "user_ids" },
        { """{"user_ids": [""], "requested_by": "t"}""", "user_ids" },
        { """{"user_ids": ["   "], "requested_by": "t"}""", "user_ids" },
        { """{"user_ids": [null], "requested_by": "t"}""", "user_ids" },
        { """{"user_ids": ["ok", 42], "requested_by": "t"}""", "user_ids[1]" },
        { """{"user_ids": "5b09700", "requested_by": "t"}""", "user_ids" },
        { """{"user_ids": {"id": "5b09700"}, "requested_by": "t"}""", "user_ids" },
        { $$"""{"user_ids": ["{{new string('u', 513)}}"], "requested_by": "t"}""", "user_ids" },
        { $$"""{"anonymous_ids": ["{{new string('a', 1025)}}"], "requested_by": "t"}""", "anonymous_ids" },
        { """{"anonymous_ids": [""], "requested_by": "t"}""", "anonymous_ids" },
        { """{"user_ids": ["nul\u0000byte"], "requested_by": "t"}""", "user_ids" },
        { """{"user_ids": ["lone\ud800surrogate"], "requested_by": "t"}""", "user_ids[0]" },
        { """{"user_ids": ["x"]}""", "requested_by" },
        { """{"user_ids": ["x"], "requested_by": ""}""", "requested_by" },
        { """{"user_ids": ["x"], "requested_by": "  "}""", "requested_by" },
        { """{"user_ids": ["x"], "requested_by": 7}""", "requested_by" },
        { $$"""{"user_ids": ["x"], "requested_by": "{{new string('r', 201)}}"}""", "requested_by" },
        { """{"user_ids": ["x"], "requested_by": "t", "regulation": "hipaa"}""", "regulation" },
        { """{"user_ids": ["x"], "requested_by": "t", "regulation": "GDPR"}""", "regulation" },
        { """{"user_ids": ["x"], "requested_by": "t", "regulation": "1"}""", "regulation" },
        { """{"user_ids": ["x"], "requested_by": "t", "regulation": 1}""", "regulation" },
        { """{"user_ids": ["x"], "requested_by": "t", "submitted_at": "yesterday"}""", "submitted_at" },
        { """{"user_ids": ["x"], "requested_by": "t", "submitted_at": "2999-01-01T00:00:00Z"}""", "submitted_at" },
        { """{"user_ids": ["x"], "requested_by": "t", "submitted_at": "1990-01-01T00:00:00Z"}""", "submitted_at" },
        { $$"""{"user_ids": ["x"], "requested_by": "t", "reason": "{{new string('r', 2001)}}"}""", "reason" },
        { $$"""{"user_ids": ["x"], "requested_by": "t", "ticket": "{{new string('t', 201)}}"}""", "ticket" },
        { """{"user_ids": ["x"], "requested_by": "t", "environments": []}""", "environments" },
        { """{"user_ids": ["x"], "requested_by": "t", "environments": ["staging"]}""", "environments" },
        { """{"user_ids": ["x"], "requested_by": "t", "environments": ["production", "production"]}""", "environments" },
        { """{"user_ids": ["x"], "requested_by": "t", "environments": ["Production"]}""", "environments" },
        { """{"user_ids": ["x"], "requested_by": "t", "environments": [null]}""", "environments" },
        { """{"user_ids": ["x"], "requested_by": "t", "environments": "production"}""", "environments" },
        { """{"user_ids": ["x"], "requested_by": "t", "environments": ["production", 7]}""", "environments[1]" },
        { """{"user_ids": ["x"], "requested_by": "t", "environments": {"production": true}}""", "environments" },
        { """{"user_ids": ["x"], "requested_by": "t", "priority": "high"}""", "priority" },
        { """{"user_ids": ["x"], "requested_by": "t", "User_Ids": ["y"]}""", "User_Ids" },
        { """{"user_ids": ["x"], "requested_by": "t", "user_ids": ["y"]}""", "user_ids" },
        { """{"user_ids": ["x"], "requested_by": "t",""", "body" },
        { """{"user_ids": ["x"] "requested_by": "t"}""", "body" },
        { """["x"]""", "body" },
        { "null", "body" },
        { "\"text\"", "body" },
        { "", "body" },
        { new string('[', 100) + new string(']', 100), "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Create_Returns400NamingTheField_AndWritesNothing(string body, string field)
    {
        var before = await CountsAsync();
        var response = await app.ClientFor(TestKeys.All).PostJsonAsync(Requests, body);
        await response.ProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Create_Returns400_ForMoreThanTenThousandSubjects_AndWritesNothing()
    {
        var before = await CountsAsync();
        var users = string.Join(",", Enumerable.Range(0, 6000).Select(i => $"\"u{i}\""));
        var anonymous = string.Join(",", Enumerable.Range(0, 4001).Select(i => $"\"a{i}\""));
        var response = await app.ClientFor(TestKeys.All).PostJsonAsync(Requests,
            $$"""{"user_ids": [{{users}}], "anonymous_ids": [{{anonymous}}], "requested_by": "t"}""");
        await response.ProblemAsync(HttpStatusCode.BadRequest, "user_ids");
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Create_AcceptsExactlyTenThousandSubjects_CollapsingDuplicates()
    {
        var users = string.Join(",", Enumerable.Range(0, 10_000).Select(i => $"\"big-{i}\"").Append("\"big-0\""));
        var created = await (await app.ClientFor(TestKeys.All).PostJsonAsync(Requests, $$"""{"user_ids": [{{users}}], "requested_by": "t"}"""))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal(10_000, created.GetProperty("counts").GetProperty("user_ids").GetInt32());
    }

    [Fact]
    public async Task Create_Returns413_ForAnOversizeBody_AndWritesNothing()
    {
        var before = await CountsAsync();
        var huge = new string('x', 17 * 1024 * 1024);
        var response = await app.ClientFor(TestKeys.All).PostJsonAsync(Requests, $$"""{"user_ids": ["x"], "requested_by": "t", "reason": "{{huge}}"}""");
        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body");
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Create_Returns415_ForNonJsonContent()
    {
        var response = await app.ClientFor(TestKeys.All).PostAsync(Requests,
            new StringContent("""{"user_ids": ["x"], "requested_by": "t"}""", Encoding.UTF8, "text/plain"));
        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType, "body");
    }

    [Fact]
    public async Task Create_Returns400_ForABadIdempotencyKey()
    {
        var response = await app.ClientFor(TestKeys.All).PostJsonAsync(Requests, """{"user_ids": ["x"], "requested_by": "t"}""", new string('k', 256));
        await response.ProblemAsync(HttpStatusCode.BadRequest, "Idempotency-Key");
    }

    async Task<string> CountsAsync()
    {
        var counts = new List<long>();
        foreach (var table in Tables)
            counts.Add(await app.CountAsync(table));
        return string.Join(",", counts);
    }
}
