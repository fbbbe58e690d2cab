using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Audit;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Telemetry;
using Miso.Privacy.Sweeps;
using Npgsql;

namespace Miso.Privacy.Execution;

/// <summary>
/// Moves requests and their subjects along the lifecycle from the state of their work items, inside
/// the caller's transaction, with one audit event per request state change.
/// </summary>
public sealed class RequestProgress(PrivacyDbContext db, TimeProvider clock, PrivacyMetrics metrics, SweepPlanner sweeps)
{
    public const string Actor = "execution";

    public async Task MarkInProgressAsync(IReadOnlyCollection<Guid> requestIds, CancellationToken ct)
    {
        var started = await db.Database.SqlQuery<Guid>($"""
            UPDATE privacy.erasure_requests SET status = 'in_progress'
            WHERE id = ANY({requestIds.ToArray()}) AND status = 'pending'
            RETURNING id AS "Value"
            """).ToListAsync(ct);
        await AuditAsync("request.in_progress", started, ct);
    }

    static readonly string CompleteWithoutMisoWorkSql = $"""
        UPDATE privacy.erasure_requests SET status = 'completed', completed_at = @now
        WHERE id = ANY(@ids) AND status = 'pending' AND (user_id_count = 0 OR type NOT IN {RequestTypes.DeletingSql})
        RETURNING id AS "Value"
        """;

    public async Task CompleteWithoutMisoWorkAsync(IReadOnlyCollection<Guid> requestIds, CancellationToken ct)
    {
        var now = Now();
        // No user id, or a type that deletes nothing at Miso: the suppressions were the whole erasure.
        var completed = await db.Database.SqlQueryRaw<Guid>(CompleteWithoutMisoWorkSql,
            new NpgsqlParameter("now", now), new NpgsqlParameter("ids", requestIds.ToArray())).ToListAsync(ct);
        await AuditAsync("request.completed", completed, ct);
        await sweeps.SealAsync(completed, Actor, now, ct);
        await metrics.RequestsCompletedAsync(db, completed, ct);
    }

    /// <summary>
    /// After a batch's outcome: subjects deleted or failed, requests completed or failed. A completed request's raw ids
    /// are dropped in the same transaction: sealed for its sweeps, or shredded when it has none.
    /// </summary>
    public async Task SettleAsync(IReadOnlyCollection<Guid> requestIds, IReadOnlyCollection<long> subjectIds, CancellationToken ct)
    {
        var now = Now();
        await db.Database.ExecuteSqlAsync($"""
            UPDATE privacy.request_subjects s SET status = CASE
                WHEN NOT EXISTS (SELECT 1 FROM privacy.work_items w WHERE w.subject_id = s.id AND w.state <> 'deleted') THEN 'deleted'
                WHEN EXISTS (SELECT 1 FROM privacy.work_items w WHERE w.subject_id = s.id AND w.state = 'failed') THEN 'failed'
                ELSE 'pending' END
            WHERE s.id = ANY({subjectIds.ToArray()})
            """, ct);
        var ids = requestIds.ToArray();
        var completed = await db.Database.SqlQuery<Guid>($"""
            UPDATE privacy.erasure_requests r SET status = 'completed', completed_at = {now}
            WHERE r.id = ANY({ids}) AND r.status = 'in_progress'
              AND NOT EXISTS (SELECT 1 FROM privacy.work_items w WHERE w.request_id = r.id AND w.state <> 'deleted')
            RETURNING r.id AS "Value"
            """).ToListAsync(ct);
        var failed = await db.Database.SqlQuery<Guid>($"""
            UPDATE privacy.erasure_requests r SET status = 'failed'
            WHERE r.id = ANY({ids}) AND r.status = 'in_progress'
              AND EXISTS (SELECT 1 FROM privacy.work_items w WHERE w.request_id = r.id AND w.state = 'failed')
              AND NOT EXISTS (SELECT 1 FROM privacy.work_items w WHERE w.request_id = r.id
                              AND w.state IN ('pending', 'in_flight', 'retrying'))
            RETURNING r.id AS "Value"
            """).ToListAsync(ct);
        await AuditAsync("request.completed", completed, ct);
        await sweeps.SealAsync(completed, Actor, now, ct);
        await AuditAsync("request.failed", failed, ct);
        await metrics.RequestsCompletedAsync(db, completed, ct);
        await metrics.RequestsFailedAsync(db, failed, ct);
    }

    async Task AuditAsync(string action, List<Guid> requestIds, CancellationToken ct)
    {
        if (requestIds.Count > 0)
            await AuditLog.AppendAsync(db, Actor, clock.GetUtcNow(), requestIds.Select(id => new AuditEntry(action, id)), ct);
    }

    DateTimeOffset Now() => AuditHashing.ToStoredPrecision(clock.GetUtcNow());
}
