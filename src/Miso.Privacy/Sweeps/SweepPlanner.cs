using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Miso.Privacy.Audit;
using Miso.Privacy.Execution;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Retention;
using Npgsql;

namespace Miso.Privacy.Sweeps;

/// <summary>
/// At completion, in the completing transaction: seals the request's user ids under a fresh data key (the raw values
/// are dropped), and schedules one sweep per <c>Execution:Sweeps</c> offset, each re-running exactly the request's
/// Miso deletions (its work items, planned as sweep items when the sweep comes due). Without sweeps configured the
/// request is shredded at once.
/// </summary>
public sealed class SweepPlanner(PrivacyDbContext db, RetentionEnvelope envelope, IOptions<ExecutionOptions> options)
{
    sealed record Row(long Id, Guid RequestId, string Value);

    /// <summary>The row updates alone; the shredding's events go to <paramref name="audit"/>.</summary>
    public async Task SealAsync(IReadOnlyCollection<Guid> completed, string actor, DateTimeOffset now, PendingAudit audit, CancellationToken ct)
    {
        var kept = await KeepForSweepsAsync(completed, now, ct);
        await ShredTheRestAsync(completed, kept, actor, now, audit, ct);
    }

    /// <summary>
    /// The sealing and the sweep schedule, without the audit, so that a caller can run it
    /// before it takes the ledger lock and hold that lock only for its events. Answers the requests kept for sweeps.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> KeepForSweepsAsync(IReadOnlyCollection<Guid> completed, DateTimeOffset now, CancellationToken ct)
    {
        if (completed.Count == 0)
            return [];
        var offsets = options.Value.SweepOffsets;
        var rows = offsets.Count == 0 ? [] : await db.Database.SqlQuery<Row>($"""
            SELECT s.id, s.request_id, s.value FROM privacy.request_subjects s
            WHERE s.request_id = ANY({completed.ToArray()}) AND s.kind = 'user_id' AND s.value IS NOT NULL
              AND (SELECT true FROM privacy.work_items w WHERE w.subject_id = s.id LIMIT 1)
            """).ToListAsync(ct);
        // Written as a correlated subquery, not EXISTS: as a semi-join the planner chose, on stale estimates, a sequential
        // scan of every work item (2.3 s for a 1,000-id request in the drain bench, under the request's row lock); this is
        // one index probe per subject.
        var keys = new List<(Guid RequestId, byte[] Wrapped)>();
        var sealedRows = new List<(long Id, byte[] Sealed)>();
        foreach (var request in rows.GroupBy(r => r.RequestId))
        {
            var (dataKey, wrapped) = envelope.NewDataKey(request.Key);
            keys.Add((request.Key, wrapped));
            sealedRows.AddRange(request.Select(r => (r.Id, RetentionEnvelope.Seal(dataKey, r.RequestId, r.Id, r.Value))));
            Array.Clear(dataKey);
        }

        await db.Database.ExecuteSqlRawAsync("""
            UPDATE privacy.request_subjects s SET sealed_value = v.sealed, value = NULL
            FROM unnest(@ids, @sealed) AS v(id, sealed) WHERE s.id = v.id
            """, [new NpgsqlParameter("ids", sealedRows.Select(r => r.Id).ToArray()), new NpgsqlParameter("sealed", sealedRows.Select(r => r.Sealed).ToArray())], ct);
        await db.Database.ExecuteSqlRawAsync("""
            UPDATE privacy.erasure_requests r SET data_key = v.key
            FROM unnest(@ids, @keys) AS v(id, key) WHERE r.id = v.id
            """, [new NpgsqlParameter("ids", keys.Select(k => k.RequestId).ToArray()), new NpgsqlParameter("keys", keys.Select(k => k.Wrapped).ToArray())], ct);
        // The raw values the sealing did not already drop (anonymous ids, ids never sent to Miso): each row is written once.
        await db.Database.ExecuteSqlAsync(
            $"UPDATE privacy.request_subjects SET value = NULL WHERE request_id = ANY({completed.ToArray()}) AND value IS NOT NULL", ct);

        var kept = keys.Select(k => k.RequestId).ToArray();
        if (kept.Length > 0)
        {
            var seconds = offsets.Select(o => o.TotalSeconds).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO privacy.request_sweeps (request_id, round, due_at)
                SELECT r.id, o.round::int, {now} + make_interval(secs => o.secs)
                FROM unnest({kept}) AS r(id) CROSS JOIN unnest({seconds}) WITH ORDINALITY AS o(secs, round)
                ON CONFLICT DO NOTHING
                """, ct);
        }
        return kept;
    }

    /// <summary>Nothing to keep (no sweeps configured, or no user id deleted at Miso): only keyed hashes from now on.</summary>
    /// <remarks>The row updates alone; the events go to <paramref name="audit"/>.</remarks>
    public Task ShredTheRestAsync(IReadOnlyCollection<Guid> completed, IReadOnlyList<Guid> kept, string actor, DateTimeOffset now,
        PendingAudit audit, CancellationToken ct) =>
        completed.Count == 0 ? Task.CompletedTask
            : Shredding.ShredAsync(db, completed.Except(kept).ToList(), actor, now,
                options.Value.SweepOffsets.Count == 0 ? "no sweeps configured" : "nothing to sweep", audit, ct);

    /// <summary>
    /// Gives the sweeps that have come due their items, oldest first and a bounded number per drain pass. Items are planned
    /// when due rather than at completion: the completing transaction holds its requests' rows, which every other outcome
    /// of those requests waits for, and thousands of item rows per request (kept for a day or more) were most of its work.
    /// A sweep with items is not planned again, and a pass that finds another planning leaves it to that one. The tests on
    /// other tables are correlated subqueries (an index probe per due sweep), never joins the planner could turn into scans.
    /// </summary>
    public Task<int> PlanDueAsync(CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO privacy.sweep_items (sweep_id, request_id, subject_id, environment, operation, state, attempts, next_attempt_at)
            SELECT rs.id, w.request_id, w.subject_id, w.environment, w.operation, 'pending', 0, rs.due_at
            FROM (SELECT id, request_id, due_at FROM privacy.request_sweeps due
                  WHERE (SELECT pg_try_advisory_xact_lock({WorkPlanner.LockClass}, 1)) AND due.swept_at IS NULL AND due.due_at <= now()
                    AND (SELECT true FROM privacy.sweep_items i WHERE i.sweep_id = due.id LIMIT 1) IS NULL
                    AND (SELECT true FROM privacy.request_subjects s WHERE s.request_id = due.request_id AND s.sealed_value IS NOT NULL LIMIT 1)
                  ORDER BY due.due_at LIMIT {DuePerPass}) rs
            JOIN privacy.work_items w ON w.request_id = rs.request_id
            JOIN privacy.request_subjects s ON s.id = w.subject_id AND s.sealed_value IS NOT NULL
            ON CONFLICT (sweep_id, subject_id, environment, operation) DO NOTHING
            """, ct);

    const int DuePerPass = 100;

    /// <summary>One item per work item of the request (user id × environment × operation), due when the sweep is.</summary>
    public static Task PlanItemsAsync(PrivacyDbContext db, long[] sweepIds, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO privacy.sweep_items (sweep_id, request_id, subject_id, environment, operation, state, attempts, next_attempt_at)
            SELECT rs.id, w.request_id, w.subject_id, w.environment, w.operation, 'pending', 0, rs.due_at
            FROM privacy.request_sweeps rs
            JOIN privacy.work_items w ON w.request_id = rs.request_id
            JOIN privacy.request_subjects s ON s.id = w.subject_id AND s.sealed_value IS NOT NULL
            WHERE rs.id = ANY({sweepIds})
            ON CONFLICT (sweep_id, subject_id, environment, operation) DO NOTHING
            """, ct);
}
