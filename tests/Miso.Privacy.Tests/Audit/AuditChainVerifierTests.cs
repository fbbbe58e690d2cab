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

    static List<AuditEvent> Chain(int length, string actorFrom3)
    {
        var events = Chain(length);
        var prev = events[1].Hash;
        for (var i = 2; i < events.Count; i++)
        {
            var e = events[i];
            var actor = i == 2 ? actorFrom3 : e.Actor;
            var hash = AuditHashing.Compute(prev, e.Seq, e.OccurredAt, actor, e.Action, e.RequestId, e.SubjectHash, e.Details);
            events[i] = new AuditEvent { Seq = e.Seq, OccurredAt = e.OccurredAt, Actor = actor, Action = e.Action, Details = e.Details, PrevHash = prev, Hash = hash };
            prev = hash;
        }
        return events;
    }

    static ChainHead Kept(List<AuditEvent> chain, int seq) => new(seq, Convert.ToHexStringLower(chain[seq - 1].Hash));

    [Fact]
    public void Checkpoint_Holds_OnTheChainItWasTakenFrom_AndAfterItGrew()
    {
        var chain = Chain(6);
        var result = AuditChainVerifier.Verify(chain, Kept(chain, 4));
        Assert.True(result.Intact);
        Assert.Equal(new CheckpointFinding(4, Kept(chain, 4).Hash, "holds", Kept(chain, 4).Hash), result.Checkpoint);
        Assert.Null(AuditChainVerifier.Verify(chain).Checkpoint);
    }

    [Fact]
    public void Checkpoint_SaysRewritten_WhenTheChainWasRechainedAtOrBeforeIt()
    {
        var original = Chain(6);
        var rewritten = Chain(6, actorFrom3: "mallory");
        Assert.True(AuditChainVerifier.Verify(rewritten).Intact);
        var result = AuditChainVerifier.Verify(rewritten, Kept(original, 4));
        Assert.False(result.Intact);
        Assert.Equal(("rewritten", Kept(rewritten, 4).Hash), (result.Checkpoint!.Status, result.Checkpoint.HashOnChain));
        Assert.Null(result.FirstBrokenSeq);
        Assert.Contains("rewritten", result.Problem);
        // Events before the rewrite are untouched, so a checkpoint of them still holds.
        Assert.Equal("holds", AuditChainVerifier.Verify(rewritten, Kept(original, 2)).Checkpoint!.Status);
    }

    [Fact]
    public void Checkpoint_SaysTruncated_WhenTheChainEndsBeforeIt()
    {
        var chain = Chain(6);
        var result = AuditChainVerifier.Verify(chain.Take(4), Kept(chain, 6));
        Assert.False(result.Intact);
        Assert.Equal(new CheckpointFinding(6, Kept(chain, 6).Hash, "truncated", null), result.Checkpoint);
        Assert.Contains("removed from its end", result.Problem);
    }

    [Fact]
    public void Checkpoint_IsUnverified_WhenTheChainBreaksBeforeIt_AndTheBreakIsNamed()
    {
        var chain = Chain(6);
        var kept = Kept(chain, 5);
        chain[2] = With(chain[2], actor: "mallory");
        var result = AuditChainVerifier.Verify(chain, kept);
        Assert.Equal((false, 3L, "unverified"), (result.Intact, result.FirstBrokenSeq!.Value, result.Checkpoint!.Status));
        Assert.Equal("hash does not match the event's content", result.Problem);
    }

    [Theory]
    [InlineData("12:" + Hex, 12L)]
    [InlineData("0:0000000000000000000000000000000000000000000000000000000000000000", 0L)]
    [InlineData("9223372036854775807:" + Hex, long.MaxValue)]
    public void CheckpointParse_ReadsSeqAndHash_InLowerCase(string text, long seq) =>
        Assert.Equal(new ChainHead(seq, text[(text.IndexOf(':') + 1)..].ToLowerInvariant()), Checkpoint.Parse(text.ToUpperInvariant()));

    [Theory]
    [InlineData("")]
    [InlineData(":" + Hex)]
    [InlineData("12")]
    [InlineData("12:" + Hex + "0")]
    [InlineData("+12:" + Hex)]
    [InlineData("9223372036854775808:" + Hex)]
    [InlineData("1:2:" + Hex)]
    [InlineData("0:" + Hex)]
    public void CheckpointParse_RefusesAnythingElse(string text) => Assert.Null(Checkpoint.Parse(text));

    const string Hex = "9f2c0000000000000000000000000000000000000000000000000000000000ab";
}
