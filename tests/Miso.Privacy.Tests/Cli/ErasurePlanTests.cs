using System.Text.Json;
using Miso.Privacy.Cli;
using Miso.Privacy.Cli.Erase;

namespace Miso.Privacy.Tests.Cli;

/// <summary>
/// The Idempotency-Key of each request <c>erase</c> files is a function of its set of ids and its options, so that the
/// same command run again files nothing new; and requests hold at most 10,000 subjects.
/// </summary>
public sealed class ErasurePlanTests
{
    static readonly ErasureOptions Defaults = new("user_id", "erase", "gdpr", "support:alice", null, "ZD-1", null, null);

    static IReadOnlyList<string> Ids(params string[] values) =>
        SubjectSet.Normalise(SubjectInput.FromArguments(values), "user_id").Ids;

    [Fact]
    public void TheSameSetOfIds_InAnyOrder_Repeated_OrPadded_GivesTheSameKey()
    {
        var key = ErasurePlan.IdempotencyKey(Ids("b", "a"), Defaults);
        Assert.Equal(key, ErasurePlan.IdempotencyKey(Ids(" a", "b\r", "a", "b"), Defaults));
        Assert.NotEqual(key, ErasurePlan.IdempotencyKey(Ids("a", "b", "c"), Defaults));
        Assert.NotEqual(key, ErasurePlan.IdempotencyKey(Ids("a", "B"), Defaults));
    }

    [Fact]
    public void EveryOptionIsPartOfTheKey()
    {
        var ids = Ids("a", "b");
        var variants = new[]
        {
            Defaults, Defaults with { Kind = "anonymous_id" }, Defaults with { Type = "suppress" }, Defaults with { Regulation = "ccpa" },
            Defaults with { RequestedBy = "support:bob" }, Defaults with { Reason = "asked" }, Defaults with { Ticket = "ZD-2" },
            Defaults with { Ticket = null }, Defaults with { SubmittedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) },
            Defaults with { Environments = ["production"] },
        };
        Assert.Equal(variants.Length, variants.Select(o => ErasurePlan.IdempotencyKey(ids, o)).Distinct().Count());
    }

    /// <summary>
    /// A client that derived keys differently would file everything again when rerun after an upgrade. The expected value
    /// was computed outside .NET: sha256 of
    /// <c>{"kind":"user_id","type":"erase","regulation":"gdpr","requested_by":"support:alice","ticket":"ZD-1","ids":["a","b"]}</c>.
    /// </summary>
    [Fact]
    public void TheKeyIsStableAcrossVersions()
    {
        Assert.Equal("miso-privacy-cli-v1-28b14c743d29b6a9d9bf98f8deb46d097adfb3708fefe84081861e6012a766a9",
            ErasurePlan.IdempotencyKey(Ids("a", "b"), Defaults));
    }

    [Fact]
    public void BulkInput_IsSplitIntoRequestsOfAtMost10000_EachWithItsOwnPrintableKey()
    {
        var ids = Enumerable.Range(0, 25_001).Select(i => $"user-{i:D5}").ToList();
        var chunks = ErasurePlan.Split(ids, Defaults);
        Assert.Equal([10_000, 10_000, 5_001], chunks.Select(c => c.Ids.Count));
        Assert.Equal([1, 2, 3], chunks.Select(c => c.Number));
        Assert.Equal(ids, chunks.SelectMany(c => c.Ids));
        Assert.Equal(3, chunks.Select(c => c.IdempotencyKey).Distinct().Count());
        Assert.All(chunks, c => Assert.Matches("^[!-~]{1,255}$", c.IdempotencyKey));
    }

    [Fact]
    public void TheBody_NamesTheIdsUnderTheirKind_AndLeavesOutWhatWasNotGiven()
    {
        var chunk = ErasurePlan.Split(Ids("a"), Defaults with { Kind = "anonymous_id" })[0];
        var body = JsonSerializer.Serialize(ErasurePlan.Body(chunk, Defaults with { Kind = "anonymous_id" }), CliJson.Body);
        Assert.Equal("""{"anonymous_ids":["a"],"type":"erase","regulation":"gdpr","requested_by":"support:alice","ticket":"ZD-1"}""", body);
    }
}
