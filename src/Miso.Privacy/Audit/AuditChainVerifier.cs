using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Audit;

public sealed record ChainHead(long Seq, string Hash);

public sealed record ChainVerification(bool Intact, long Events, ChainHead? Head, long? FirstBrokenSeq, string? Problem);

public static class AuditChainVerifier
{
    /// <summary>Streams the whole chain once; memory stays flat however long it is.</summary>
    public static async Task<ChainVerification> VerifyAsync(PrivacyDbContext db, CancellationToken ct)
    {
        var walk = new ChainWalk();
        await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(e => e.Seq).AsAsyncEnumerable().WithCancellation(ct))
            if (walk.Next(e) is { } broken)
                return broken;
        return walk.Intact();
    }

    /// <summary>The same check over events already at hand, in seq order.</summary>
    public static ChainVerification Verify(IEnumerable<AuditEvent> events)
    {
        var walk = new ChainWalk();
        foreach (var e in events)
            if (walk.Next(e) is { } broken)
                return broken;
        return walk.Intact();
    }

    sealed class ChainWalk
    {
        long _count;
        long _expectedSeq = 1;
        byte[] _prev = AuditHashing.Genesis;

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
            _count++;
            _expectedSeq++;
            _prev = e.Hash;
            return null;
        }

        public ChainVerification Intact() => new(true, _count, Head(_count, _prev), null, null);
    }

    static ChainHead? Head(long seq, byte[] hash) => seq == 0 ? null : new ChainHead(seq, Convert.ToHexStringLower(hash));
}
