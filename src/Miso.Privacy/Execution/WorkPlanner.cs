using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Database;
using Npgsql;

namespace Miso.Privacy.Execution;

/// <summary>
/// Turns new pending requests into work items: one per user id, operation and environment the request covers. Idempotent
/// (a unique index and ON CONFLICT), so a crash between plan and commit just plans again. Items are due
/// from the request's receipt, so the batch window counts from when the person's request arrived.
/// The environments are the request's recorded list, kept if the configuration changed since (an environment no longer
/// configured keeps its items pending, so the request never claims a deletion that was not made); a request filed
/// before environments were recorded covers every configured one.
/// </summary>
public sealed class WorkPlanner(PrivacyDbContext db, EnvironmentNames names, RequestProgress progress)
{
    static readonly string[] Operations = ["delete_interactions", "delete_user"];

    static readonly string PlanSql = $"""
        INSERT INTO privacy.work_items (request_id, subject_id, environment, operation, state, attempts, next_attempt_at, created_at)
        SELECT s.request_id, s.id, e.name, o.op, 'pending', 0, r.received_at, now()
        FROM privacy.request_subjects s
        JOIN privacy.erasure_requests r ON r.id = s.request_id
        CROSS JOIN unnest(COALESCE(r.environments, @environments::text[])) AS e(name)
        CROSS JOIN unnest(@operations::text[]) AS o(op)
        WHERE s.request_id = ANY(@ids) AND s.kind = 'user_id' AND r.type IN {RequestTypes.DeletingSql}
        ON CONFLICT (subject_id, environment, operation) DO NOTHING
        """;

    /// <summary>
    /// Two-key advisory locks that keep planners from doing the same work side by side: a drain pass that finds another
    /// planning skips planning (the next pass plans what arrived since) rather than inserting the same thousands of rows
    /// and waiting on each of the other's. Key 0: work items; key 1: sweep items.
    /// </summary>
    public const int LockClass = 0x504C_414E;

    /// <summary>User ids planned per transaction (at least one request): a backlog's first items are claimable within a second or so.</summary>
    const int ChunkIds = 5_000;

    /// <summary>Plans the oldest unplanned requests, up to about <see cref="ChunkIds"/> user ids; answers how many requests it planned.</summary>
    public async Task<int> PlanAsync(CancellationToken ct)
    {
        var environments = names.All.ToArray();
        if (environments.Length == 0)
            return 0;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var requestIds = await db.Database.SqlQuery<Guid>($"""
            SELECT c.id AS "Value" FROM (
                SELECT r.id, r.number, sum(r.user_id_count) OVER (ORDER BY r.number) - r.user_id_count AS before
                FROM privacy.erasure_requests r
                WHERE (SELECT pg_try_advisory_xact_lock({LockClass}, 0))
                  AND r.status = 'pending' AND NOT EXISTS (SELECT 1 FROM privacy.work_items w WHERE w.request_id = r.id)
                ORDER BY r.number LIMIT 1000) c
            WHERE c.before < {ChunkIds}
            ORDER BY c.number
            """).ToListAsync(ct);
        if (requestIds.Count == 0)
            return 0;

        // Only the types carried out at Miso get work (a suppress request has none).
        await db.Database.ExecuteSqlRawAsync(PlanSql, [new NpgsqlParameter("environments", environments),
            new NpgsqlParameter("operations", Operations), new NpgsqlParameter("ids", requestIds.ToArray())], ct);
        // Anonymous ids only, or nothing to delete at Miso: the suppression is the whole erasure.
        await progress.CompleteWithoutMisoWorkAsync(requestIds, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return requestIds.Count;
    }
}
