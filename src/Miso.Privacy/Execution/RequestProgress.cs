using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Audit;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Telemetry;
using Miso.Privacy.Sweeps;
using Microsoft.EntityFrameworkCore.Storage;
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
        var audit = new PendingAudit();
        Audit(audit, "request.in_progress", started);
        await audit.AppendAsync(db, ct);
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
        // The events last, so that the ledger lock is held for them alone.
        var audit = new PendingAudit();
        Audit(audit, "request.completed", completed);
        await sweeps.SealAsync(completed, Actor, now, audit, ct);
        await metrics.RequestsCompletedAsync(db, completed, ct);
        await audit.AppendAsync(db, ct);
    }

    /// <summary>
    /// Locks the requests' rows, in id order, to the caller's commit: every batch of a request settles after the one
    /// before it has committed. Take the outcome's time after this: a batch that waited here must not date the request's
    /// completion before a deletion that reached Miso while it waited.
    /// </summary>
    public static async Task LockAsync(PrivacyDbContext db, IEnumerable<Guid> requestIds, CancellationToken ct)
    {
        var ids = requestIds.Distinct().Order().ToArray();
        await db.Database.SqlQuery<Guid>($"""
            SELECT id AS "Value" FROM privacy.erasure_requests WHERE id = ANY({ids}) ORDER BY id FOR UPDATE
            """).ToListAsync(ct);
    }

    /// <summary>
    /// After a batch's outcome: counts the Miso call on its requests, then subjects deleted or failed, requests completed or
    /// failed, in one round trip. A completed request's raw ids are dropped in the same transaction: sealed for its sweeps,
    /// or shredded when it has none. Writes rows only: the events go to <paramref name="audit"/>, which the caller appends
    /// last, with its own, just before its commit.
    /// </summary>
    public async Task SettleAsync(IReadOnlyCollection<Guid> requestIds, IReadOnlyCollection<long> subjectIds, PendingAudit audit, CancellationToken ct)
    {
        var now = Now();
        var ids = requestIds.ToArray();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Settling runs inside the caller's transaction."));
        // The request rows are locked first, in id order, and held to commit: every batch of a request (other environment
        // or operation) settles after the one before it has committed, so the statements below, each with its own
        // snapshot, see every other outcome of the request, and the last one completes it.
        batch.BatchCommands.Add(Command(CountCallSql, new NpgsqlParameter { Value = ids }));
        batch.BatchCommands.Add(Command(SettleSubjectsSql, new NpgsqlParameter { Value = subjectIds.ToArray() }));
        batch.BatchCommands.Add(Command(CompleteSql, new NpgsqlParameter { Value = now }, new NpgsqlParameter { Value = ids }));
        batch.BatchCommands.Add(Command(FailSql, new NpgsqlParameter { Value = ids }));
        // Every statement returns rows, so each has a result set to step over.
        List<Guid> completed = [], failed = [];
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            await reader.NextResultAsync(ct);
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
                completed.Add(reader.GetGuid(0));
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
                failed.Add(reader.GetGuid(0));
        }
        // The sealing, the shredding, the sweep items and the metrics' reads are all done before the caller's append takes
        // the ledger lock, which every create and every other batch waits for: under it go only the chain's own writes and
        // the commit. The events keep the chain order they had when each was appended as it came.
        Audit(audit, "request.completed", completed);
        await sweeps.SealAsync(completed, Actor, now, audit, ct);
        await metrics.RequestsCompletedAsync(db, completed, ct);
        await metrics.RequestsFailedAsync(db, failed, ct);
        Audit(audit, "request.failed", failed);
    }

    const string CountCallSql = """
        UPDATE privacy.erasure_requests r SET miso_calls = r.miso_calls + 1
        FROM (SELECT id FROM privacy.erasure_requests WHERE id = ANY($1) ORDER BY id FOR UPDATE) locked
        WHERE r.id = locked.id
        RETURNING r.id
        """;

    // Only subjects whose status changes are written: the first three of a subject's four outcomes leave it pending.
    const string SettleSubjectsSql = """
        UPDATE privacy.request_subjects s SET status = v.status
        FROM (SELECT s.id, CASE
                WHEN NOT EXISTS (SELECT 1 FROM privacy.work_items w WHERE w.subject_id = s.id AND w.state <> 'deleted') THEN 'deleted'
                WHEN EXISTS (SELECT 1 FROM privacy.work_items w WHERE w.subject_id = s.id AND w.state = 'failed') THEN 'failed'
                ELSE 'pending' END AS status
              FROM privacy.request_subjects s WHERE s.id = ANY($1)) v
        WHERE s.id = v.id AND s.status <> v.status
        RETURNING s.id
        """;

    const string CompleteSql = """
        UPDATE privacy.erasure_requests r SET status = 'completed', completed_at = $1
        WHERE r.id = ANY($2) AND r.status = 'in_progress'
          AND NOT EXISTS (SELECT 1 FROM privacy.work_items w WHERE w.request_id = r.id AND w.state <> 'deleted')
        RETURNING r.id
        """;

    const string FailSql = """
        UPDATE privacy.erasure_requests r SET status = 'failed'
        WHERE r.id = ANY($1) AND r.status = 'in_progress'
          AND EXISTS (SELECT 1 FROM privacy.work_items w WHERE w.request_id = r.id AND w.state = 'failed')
          AND NOT EXISTS (SELECT 1 FROM privacy.work_items w WHERE w.request_id = r.id
                          AND w.state IN ('pending', 'in_flight', 'retrying'))
        RETURNING r.id
        """;

    static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    void Audit(PendingAudit audit, string action, List<Guid> requestIds) =>
        audit.Add(Actor, clock.GetUtcNow(), requestIds.Select(id => new AuditEntry(action, id)));

    DateTimeOffset Now() => AuditHashing.ToStoredPrecision(clock.GetUtcNow());
}
