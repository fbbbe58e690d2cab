using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Sweeps;

/// <summary>
/// Destroys requests' wrapped data keys (crypto-shredding) and any raw id left, with one <c>request.shredded</c> each,
/// inside the caller's transaction. From then on only keyed hashes, and ciphertext nobody can open, remain.
/// </summary>
public static class Shredding
{
    public static async Task<List<Guid>> ShredAsync(PrivacyDbContext db, IReadOnlyCollection<Guid> requestIds, string actor,
        DateTimeOffset now, string reason, CancellationToken ct)
    {
        var audit = new PendingAudit();
        var shredded = await ShredAsync(db, requestIds, actor, now, reason, audit, ct);
        await audit.AppendAsync(db, ct);
        return shredded;
    }

    /// <summary>The row updates alone; the events go to <paramref name="audit"/>, for the caller to append with its others once its rows are written.</summary>
    public static async Task<List<Guid>> ShredAsync(PrivacyDbContext db, IReadOnlyCollection<Guid> requestIds, string actor,
        DateTimeOffset now, string reason, PendingAudit audit, CancellationToken ct)
    {
        if (requestIds.Count == 0)
            return [];
        var shredded = await db.Database.SqlQuery<Guid>($"""
            UPDATE privacy.erasure_requests SET data_key = NULL, shredded_at = {now}
            WHERE id = ANY({requestIds.ToArray()}) AND shredded_at IS NULL
            RETURNING id AS "Value"
            """).ToListAsync(ct);
        if (shredded.Count == 0)
            return shredded;
        await db.Database.ExecuteSqlAsync(
            $"UPDATE privacy.request_subjects SET value = NULL WHERE request_id = ANY({shredded.ToArray()}) AND value IS NOT NULL", ct);
        var sweeps = await db.RequestSweeps.Where(s => shredded.Contains(s.RequestId))
            .GroupBy(s => s.RequestId)
            .Select(g => new { RequestId = g.Key, Done = g.Count(s => s.ReplayId == null), Failed = g.Count(s => s.Outcome == "failed") })
            .ToDictionaryAsync(g => g.RequestId, ct);
        audit.Add(actor, now, shredded.Select(id => new AuditEntry("request.shredded", id, null, new
        {
            reason,
            sweeps = sweeps.GetValueOrDefault(id)?.Done ?? 0,
            failed_sweeps = sweeps.GetValueOrDefault(id)?.Failed ?? 0,
        })));
        return shredded;
    }
}
