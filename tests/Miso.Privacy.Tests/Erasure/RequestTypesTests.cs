using System.Text.Json;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Json;

namespace Miso.Privacy.Tests.Erasure;

/// <summary>What each type does, in C# and SQL alike; the database tests walk each through its lifecycle.</summary>
public sealed class RequestTypesTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(RequestType.Erase, true, true, false)]
    [InlineData(RequestType.Suppress, true, false, true)]
    [InlineData(RequestType.Delete, false, true, false)]
    public void EachType_SuppressesDeletesAndCompletesAsItSays(RequestType type, bool suppresses, bool deletes, bool completesAtCreate)
    {
        Assert.Equal(suppresses, RequestTypes.Suppresses(type));
        Assert.Equal(deletes, RequestTypes.DeletesAtMiso(type));
        Assert.Equal(completesAtCreate, RequestTypes.CompletesAtCreate(type));
    }

    [Fact]
    public void TheSqlLists_AreWrittenFromTheCSharpOnes()
    {
        Assert.Equal("('erase', 'suppress')", RequestTypes.SuppressingSql);
        Assert.Equal("('erase', 'delete')", RequestTypes.DeletingSql);
    }

    [Fact]
    public void Validate_DefaultsToErase_AndReadsEachType()
    {
        Assert.Equal(RequestType.Erase, Validate(null).Request!.Type);
        Assert.Equal(RequestType.Suppress, Validate("suppress").Request!.Type);
        Assert.Equal(RequestType.Delete, Validate("delete", anonymousIds: []).Request!.Type);
    }

    [Theory]
    [InlineData("opt_out")]
    [InlineData("Erase")]
    [InlineData("")]
    [InlineData("1")]
    public void Validate_RejectsAnUnknownType_ListingTheChoices(string type) =>
        Assert.Equal(["Must be one of erase, suppress, delete."], Validate(type).Errors!["type"]);

    [Fact]
    public void ADeleteRequest_CannotNameAnonymousIds()
    {
        var (request, errors) = Validate("delete", anonymousIds: ["a1"]);
        Assert.Null(request);
        Assert.Equal(["anonymous_ids"], errors!.Keys);
    }

    [Fact]
    public void TheFingerprint_CarriesTheType_ExceptTheDefault()
    {
        // An erase request fingerprints as before types existed, so an old Idempotency-Key still replays.
        var erase = JsonSerializer.Serialize(Validate(null).Request, ApiJson.Options);
        Assert.DoesNotContain("\"type\"", erase);
        Assert.Equal(erase, JsonSerializer.Serialize(Validate("erase").Request, ApiJson.Options));
        Assert.Contains("\"type\":\"suppress\"", JsonSerializer.Serialize(Validate("suppress").Request, ApiJson.Options));
        Assert.Contains("\"type\":\"delete\"", JsonSerializer.Serialize(Validate("delete", anonymousIds: []).Request, ApiJson.Options));
    }

    [Fact]
    public void Validate_AcceptsUkGdpr_AndListsItAmongTheRegulations()
    {
        Assert.Equal(Regulation.UkGdpr, ErasureRequestValidation.Validate(Body(null) with { Regulation = "uk_gdpr" }, Now, Configured).Request!.Regulation);
        Assert.Equal(["Must be one of gdpr, uk_gdpr, ccpa, other."],
            ErasureRequestValidation.Validate(Body(null) with { Regulation = "ukgdpr" }, Now, Configured).Errors!["regulation"]);
    }

    static CreateErasureRequestBody Body(string? type, List<string?>? anonymousIds = null) =>
        new(["u1"], anonymousIds ?? ["a1"], null, "support:alice", null, null, null) { Type = type };

    static (NewErasureRequest? Request, Dictionary<string, string[]>? Errors) Validate(string? type, List<string?>? anonymousIds = null) =>
        ErasureRequestValidation.Validate(Body(type, anonymousIds), Now, Configured);

    static readonly EnvironmentNames Configured = new(["production", "development"]);
}
