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
        long count = 0, expectedSeq = 1;
        var prev = AuditHashing.Genesis;
        var events = db.AuditEvents.AsNoTracking().OrderBy(e => e.Seq).AsAsyncEnumerable();
        await foreach (var e in events.WithCancellation(ct))
        {
            var problem = e.Seq != expectedSeq ? $"sequence gap: expected {expectedSeq}"
                : !e.PrevHash.AsSpan().SequenceEqual(prev) ? "prev_hash does not match the previous event"
                : !AuditHashing.Compute(prev, e.Seq, e.OccurredAt, e.Actor, e.Action, e.RequestId, e.SubjectHash, e.Details)
                    .AsSpan().SequenceEqual(e.Hash) ? "hash does not match the event's content"
                : null;
            if (problem is not null)
                return new ChainVerification(false, count, Head(expectedSeq - 1, prev), Math.Min(e.Seq, expectedSeq), problem);
            count++;
            expectedSeq++;
            prev = e.Hash;
        }
        return new ChainVerification(true, count, Head(count, prev), null, null);
    }

    static ChainHead? Head(long seq, byte[] hash) => seq == 0 ? null : new ChainHead(seq, Convert.ToHexStringLower(hash));
}
