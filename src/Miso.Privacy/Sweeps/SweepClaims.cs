using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Miso.Privacy.Execution;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Sweeps;

/// <summary>
/// Claims due sweep items the way <see cref="BatchClaims"/> claims work items (FOR UPDATE SKIP LOCKED and a lease).
/// No batch window: a sweep is due days after completion, and whatever is due by then fills the batch.
/// </summary>
public sealed class SweepClaims(PrivacyDbContext db, IOptions<ExecutionOptions> options)
{
    sealed record Row(long Id, Guid RequestId, long SubjectId);

    public async Task<ClaimedBatch?> ClaimAsync(string environment, MisoOperation operation, CancellationToken ct)
    {
        var o = options.Value;
        var op = BatchClaims.Text(operation);
        var batchId = Guid.CreateVersion7();
        var rows = await db.Database.SqlQuery<Row>($"""
            WITH due AS (
                SELECT id FROM privacy.sweep_items
                WHERE environment = {environment} AND operation = {op}
                  AND state IN ('pending', 'retrying', 'in_flight') AND next_attempt_at <= now()
                ORDER BY next_attempt_at
                LIMIT {o.BatchSize}
                FOR UPDATE SKIP LOCKED)
            UPDATE privacy.sweep_items w
            SET state = 'in_flight', batch_id = {batchId}, attempts = w.attempts + 1,
                next_attempt_at = now() + make_interval(secs => {o.Lease.TotalSeconds})
            FROM due WHERE w.id = due.id
            RETURNING w.id, w.request_id, w.subject_id
            """).ToListAsync(ct);
        return rows.Count == 0 ? null
            : new ClaimedBatch(batchId, environment, operation, rows.Select(r => new ClaimedItem(r.Id, r.RequestId, r.SubjectId)).ToList());
    }
}
