using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Audit;

public sealed record ChainHead(long Seq, string Hash);

/// <summary>What became of a checkpoint an auditor kept: <c>holds</c>, <c>rewritten</c>, <c>truncated</c>, or <c>unverified</c> (the chain breaks before it).</summary>
public sealed record CheckpointFinding(long Seq, string Hash, string Status, string? HashOnChain);

public sealed record ChainVerification(bool Intact, long Events, ChainHead? Head, long? FirstBrokenSeq, string? Problem)
{
    /// <summary>Only when a checkpoint was asked about.</summary>
    public CheckpointFinding? Checkpoint { get; init; }
}

public static class AuditChainVerifier
{
    /// <summary>Streams the whole chain once; memory stays flat however long it is.</summary>
    public static async Task<ChainVerification> VerifyAsync(PrivacyDbContext db, CancellationToken ct, ChainHead? checkpoint = null)
    {
        var walk = new ChainWalk(checkpoint);
        await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(e => e.Seq).AsAsyncEnumerable().WithCancellation(ct))
            if (walk.Next(e) is { } broken)
                return walk.Judge(broken);
        return walk.Judge(walk.Intact());
    }

    /// <summary>The same check over events already at hand, in seq order.</summary>
    public static ChainVerification Verify(IEnumerable<AuditEvent> events, ChainHead? checkpoint = null)
    {
        var walk = new ChainWalk(checkpoint);
        foreach (var e in events)
            if (walk.Next(e) is { } broken)
                return walk.Judge(broken);
        return walk.Judge(walk.Intact());
    }

    /// <summary>
    /// An intact chain only proves it is consistent with itself: whoever can write the table can rewrite events from
    /// any seq and recompute every hash after it, or cut events off the end. A checkpoint kept from before tells: the
    /// event at its seq must still exist and still have its hash.
    /// </summary>
    sealed class ChainWalk(ChainHead? checkpoint)
    {
        long _count;
        long _expectedSeq = 1;
        byte[] _prev = AuditHashing.Genesis;
        string? _hashAtCheckpoint = checkpoint?.Seq == 0 ? Convert.ToHexStringLower(AuditHashing.Genesis) : null;

        /// <summary>Null while the chain holds; otherwise the verdict, naming the first event that breaks it.</summary>
        public ChainVerification? Next(AuditEvent e)
        {
            var problem = e.Seq != _expectedSeq ? $"sequence gap: expected {_expectedSeq}"
                : !e.PrevHash.AsSpan().SequenceEqual(_prev) ? "prev_hash does not match the previous event"
                : !AuditHashing.Compute(_prev, e.Seq, e.OccurredAt, e.Actor, e.Action, e.RequestId, e.SubjectHash, e.Details)
                    .AsSpan().SequenceEqual(e.Hash) ? "hash does not match the event's content"
                : null;
            if (problem is not null)
                return new ChainVerification(false, _count, Head(_expectedSeq - 1, _prev), Math.Min(e.Seq, _expectedSeq), problem);
            if (e.Seq == checkpoint?.Seq)
                _hashAtCheckpoint = Convert.ToHexStringLower(e.Hash);
            _count++;
            _expectedSeq++;
            _prev = e.Hash;
            return null;
        }

        public ChainVerification Intact() => new(true, _count, Head(_count, _prev), null, null);

        public ChainVerification Judge(ChainVerification chain)
        {
            if (checkpoint is null)
                return chain;
            var (status, problem) = _hashAtCheckpoint switch
            {
                { } found when found == checkpoint.Hash => ("holds", null),
                { } found => ("rewritten", $"The event at seq {checkpoint.Seq} has hash {found}, not the checkpoint's: the chain was rewritten at or before it."),
                null when chain.Intact => ("truncated", $"The checkpoint names seq {checkpoint.Seq}, but the chain ends at {_count}: events were removed from its end."),
                null => ("unverified", (string?)null),
            };
            return chain with
            {
                Intact = chain.Intact && status == "holds",
                Problem = chain.Problem ?? problem,
                Checkpoint = new CheckpointFinding(checkpoint.Seq, checkpoint.Hash, status, _hashAtCheckpoint),
            };
        }
    }

    static ChainHead? Head(long seq, byte[] hash) => seq == 0 ? null : new ChainHead(seq, Convert.ToHexStringLower(hash));
}
