using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Execution;

/// <summary>
/// Claims due work with FOR UPDATE SKIP LOCKED and a lease, so concurrent drains on any instance never
/// take the same item, and a crashed drain's items come back when its lease runs out.
/// </summary>
public sealed class BatchClaims(PrivacyDbContext db, IOptions<ExecutionOptions> options)
{
    sealed record Row(long Id, Guid RequestId, long SubjectId);

    /// <summary>A full batch at once; a partial one only after its oldest item has waited the batch window.</summary>
    public async Task<ClaimedBatch?> ClaimAsync(string environment, MisoOperation operation, CancellationToken ct)
    {
        var o = options.Value;
        var op = Text(operation);
        var worthSending = await db.Database.SqlQuery<bool>($"""
            SELECT (SELECT count(*) FROM (
                        SELECT 1 FROM privacy.work_items
                        WHERE environment = {environment} AND operation = {op}
                          AND state IN ('pending', 'retrying', 'in_flight') AND next_attempt_at <= now()
                        LIMIT {o.BatchSize}) AS due) >= {o.BatchSize}
                OR EXISTS (SELECT 1 FROM privacy.work_items
                           WHERE environment = {environment} AND operation = {op}
                             AND state IN ('pending', 'retrying', 'in_flight')
                             AND next_attempt_at <= now() - make_interval(secs => {o.BatchWindow.TotalSeconds}))
                AS "Value"
            """).SingleAsync(ct);
        if (!worthSending)
            return null;

        var batchId = Guid.CreateVersion7();
        var rows = await db.Database.SqlQuery<Row>($"""
            WITH due AS (
                SELECT id FROM privacy.work_items
                WHERE environment = {environment} AND operation = {op}
                  AND state IN ('pending', 'retrying', 'in_flight') AND next_attempt_at <= now()
                ORDER BY next_attempt_at
                LIMIT {o.BatchSize}
                FOR UPDATE SKIP LOCKED)
            UPDATE privacy.work_items w
            SET state = 'in_flight', batch_id = {batchId}, attempts = w.attempts + 1,
                next_attempt_at = now() + make_interval(secs => {o.Lease.TotalSeconds})
            FROM due WHERE w.id = due.id
            RETURNING w.id, w.request_id, w.subject_id
            """).ToListAsync(ct);
        return rows.Count == 0 ? null
            : new ClaimedBatch(batchId, environment, operation, rows.Select(r => new ClaimedItem(r.Id, r.RequestId, r.SubjectId)).ToList());
    }

    public static string Text(MisoOperation operation) => SnakeCaseEnumConverter<MisoOperation>.ToText(operation);
}
