using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Miso.Privacy.Infrastructure.Database;
using Npgsql;

namespace Miso.Privacy.Execution;

/// <summary>
/// Claims due work with FOR UPDATE SKIP LOCKED and a lease, so concurrent drains on any instance never
/// take the same item, and a crashed drain's items come back when its lease runs out. One statement decides
/// whether a batch is worth sending, claims it, and returns what the Miso call needs.
/// </summary>
public sealed class BatchClaims(PrivacyDbContext db, IOptions<ExecutionOptions> options)
{
    sealed record Row(long Id, Guid RequestId, long SubjectId, string? Value, byte[] Hash, string RequestStatus);

    static readonly string WorkSql = ClaimSql("work_items",
        join: "JOIN privacy.request_subjects s ON s.id = w.subject_id JOIN privacy.erasure_requests r ON r.id = w.request_id",
        returning: "s.value, s.hash, r.status AS request_status");

    /// <summary>A full batch at once; a partial one only after its oldest item has waited the batch window.</summary>
    public async Task<ClaimedBatch?> ClaimAsync(string environment, MisoOperation operation, CancellationToken ct)
    {
        var batchId = Guid.CreateVersion7();
        var rows = await db.Database.SqlQueryRaw<Row>(WorkSql, Parameters(options.Value, environment, operation, batchId, options.Value.BatchWindow))
            .ToListAsync(ct);
        return rows.Count == 0 ? null
            : new ClaimedBatch(batchId, environment, operation,
                rows.Select(r => new ClaimedItem(r.Id, r.RequestId, r.SubjectId) { UserId = r.Value, Hash = r.Hash }).ToList())
            {
                Started = rows.All(r => r.RequestStatus == "in_progress"),
            };
    }

    /// <summary>
    /// The claim over a table of due items (work items, sweep items): the oldest due items of one environment and
    /// operation, unless fewer than a batch are due and none has waited the window. The extra join's rows are read, never locked.
    /// </summary>
    public static string ClaimSql(string table, string join = "", string returning = "") => $"""
        WITH due AS (
            SELECT id, next_attempt_at FROM privacy.{table}
            WHERE environment = @environment AND operation = @operation
              AND state IN ('pending', 'retrying', 'in_flight') AND next_attempt_at <= now()
            ORDER BY next_attempt_at
            LIMIT @size
            FOR UPDATE SKIP LOCKED),
        claimed AS (
            UPDATE privacy.{table} w
            SET state = 'in_flight', batch_id = @batch, attempts = w.attempts + 1,
                next_attempt_at = now() + make_interval(secs => @lease)
            FROM due WHERE w.id = due.id
              -- A scalar subquery, so the decision is made once (an InitPlan), never once per due row.
              AND (SELECT count(*) >= @size OR min(next_attempt_at) <= now() - make_interval(secs => @window) FROM due)
            RETURNING w.id, w.request_id, w.subject_id)
        SELECT w.id, w.request_id, w.subject_id{(returning == "" ? "" : ", " + returning)} FROM claimed w {join}
        """;

    public static NpgsqlParameter[] Parameters(ExecutionOptions o, string environment, MisoOperation operation, Guid batchId, TimeSpan window) =>
    [
        new("environment", environment), new("operation", Text(operation)), new("size", o.BatchSize), new("window", window.TotalSeconds),
        new("batch", batchId), new("lease", o.Lease.TotalSeconds),
    ];

    public static string Text(MisoOperation operation) => SnakeCaseEnumConverter<MisoOperation>.ToText(operation);
}
