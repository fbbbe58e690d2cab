using Miso.Privacy.Audit;

namespace Miso.Privacy.Tests.Audit;

public sealed class AuditChainVerifierTests
{
    static List<AuditEvent> Chain(int length)
    {
        var events = new List<AuditEvent>();
        var prev = AuditHashing.Genesis;
        var at = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        for (var seq = 1; seq <= length; seq++)
        {
            var details = $$"""{"n":{{seq}}}""";
            var hash = AuditHashing.Compute(prev, seq, at, "support", "request.created", null, null, details);
            events.Add(new AuditEvent { Seq = seq, OccurredAt = at, Actor = "support", Action = "request.created", Details = details, PrevHash = prev, Hash = hash });
            prev = hash;
        }
        return events;
    }

    static AuditEvent With(AuditEvent e, string? actor = null, long? seq = null, byte[]? prevHash = null) => new()
    {
        Seq = seq ?? e.Seq, OccurredAt = e.OccurredAt, Actor = actor ?? e.Actor, Action = e.Action, RequestId = e.RequestId,
        SubjectHash = e.SubjectHash, Details = e.Details, PrevHash = prevHash ?? e.PrevHash, Hash = e.Hash,
    };

    [Fact]
    public void Verify_ReportsAnIntactChain_WithItsLengthAndHead()
    {
        var chain = Chain(5);
        var result = AuditChainVerifier.Verify(chain);
        Assert.True(result.Intact);
        Assert.Equal(5, result.Events);
        Assert.Equal(new ChainHead(5, Convert.ToHexStringLower(chain[^1].Hash)), result.Head);
        Assert.Null(result.FirstBrokenSeq);
    }

    [Fact]
    public void Verify_ReportsAnEmptyChainAsIntact_WithoutAHead()
    {
        var result = AuditChainVerifier.Verify([]);
        Assert.Equal(new ChainVerification(true, 0, null, null, null), result);
    }

    [Fact]
    public void Verify_NamesTheFirstEditedEvent_AndTheHeadBeforeIt()
    {
        var chain = Chain(5);
        chain[2] = With(chain[2], actor: "mallory");
        var result = AuditChainVerifier.Verify(chain);
        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBrokenSeq);
        Assert.Equal(2, result.Events);
        Assert.Equal(new ChainHead(2, Convert.ToHexStringLower(chain[1].Hash)), result.Head);
        Assert.Equal("hash does not match the event's content", result.Problem);
    }

    [Fact]
    public void Verify_NamesAGap_WhenAnEventIsMissing()
    {
        var chain = Chain(5);
        chain.RemoveAt(2);
        var result = AuditChainVerifier.Verify(chain);
        Assert.Equal((false, 3L, "sequence gap: expected 3"), (result.Intact, result.FirstBrokenSeq!.Value, result.Problem));
    }

    [Fact]
    public void Verify_NamesABrokenLink_WhenAnEventIsRechainedElsewhere()
    {
        var chain = Chain(4);
        chain[3] = With(chain[3], prevHash: chain[1].Hash);
        var result = AuditChainVerifier.Verify(chain);
        Assert.Equal((false, 4L, "prev_hash does not match the previous event"), (result.Intact, result.FirstBrokenSeq!.Value, result.Problem));
    }
}
