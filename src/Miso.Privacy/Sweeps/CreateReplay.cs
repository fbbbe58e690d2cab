using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Audit;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.Infrastructure.Json;

namespace Miso.Privacy.Sweeps;

/// <summary>
/// After Miso restored a backup (or anything replayed old data into it): sweep every request completed after a time
/// again, now, through the same drain. Requests whose key is already shredded are named as out of reach.
/// </summary>
public static class CreateReplay
{
    public static async Task<Results<Accepted<ReplayResponse>, ProblemHttpResult>> Handle(
        HttpRequest http, ClaimsPrincipal user, PrivacyDbContext db, TimeProvider clock, ErasureNotifications notifications,
        CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ReplayBody>(http, ReplayBody.Expectations, 64 * 1024);
        if (problem is not null)
            return problem;
        var now = AuditHashing.ToStoredPrecision(clock.GetUtcNow());
        if (body!.Validate(now) is { } errors)
            return Problems.Fields(errors);

        var after = body.CompletedAfter!.Value;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Locked, so that no request is shredded between being counted as reachable and being swept.
        var candidates = await db.Database.SqlQueryRaw<Candidate>(CandidatesSql, new Npgsql.NpgsqlParameter("after", after)).ToListAsync(ct);
        var reachable = candidates.Where(c => c.Readable).Select(c => c.Id).ToArray();
        var replay = new SweepReplay
        {
            Id = Guid.CreateVersion7(), RequestedBy = user.Actor(), Reason = body.Reason!, CompletedAfter = after, CreatedAt = now,
            Requests = reachable.Length, OutOfReach = candidates.Where(c => !c.Readable).Select(c => c.Id).ToArray(),
        };
        db.SweepReplays.Add(replay);
        await db.SaveChangesAsync(ct);
        var sweepIds = await db.Database.SqlQuery<long>($"""
            INSERT INTO privacy.request_sweeps (request_id, round, replay_id, due_at)
            SELECT r.id, 0, {replay.Id}, {now} FROM unnest({reachable}) AS r(id)
            RETURNING id AS "Value"
            """).ToListAsync(ct);
        await SweepPlanner.PlanItemsAsync(db, [.. sweepIds], ct);
        await AuditLog.AppendAsync(db, user.Actor(), now, new AuditEntry("sweeps.replayed", null, null, new
        {
            replay_id = replay.Id,
            completed_after = after,
            reason = replay.Reason,
            requests = replay.Requests,
            out_of_reach = replay.OutOfReach,
        }), ct);
        await db.SaveChangesAsync(ct);
        var items = await db.SweepItems.CountAsync(i => sweepIds.Contains(i.SweepId), ct);
        await transaction.CommitAsync(ct);
        notifications.RequestCreated(replay.Id);
        return TypedResults.Accepted($"/api/v1/sweeps/{replay.Id}",
            GetReplay.ToResponse(replay, reachable.Length == 0 ? "done" : "running", 0, 0, items, 0, 0));
    }

    sealed record Candidate(Guid Id, bool Readable);

    static readonly string CandidatesSql = $"""
        SELECT id, data_key IS NOT NULL AS readable FROM privacy.erasure_requests
        WHERE status = 'completed' AND completed_at > @after AND type IN {RequestTypes.DeletingSql} AND user_id_count > 0
        ORDER BY id FOR UPDATE
        """;
}
