using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Audit;
using Miso.Privacy.Execution;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.Infrastructure.Json;
using Miso.Privacy.Suppressions;
using Miso.Privacy.Sweeps;

namespace Miso.Privacy.Erasure;

public static class CancelErasureRequest
{
    public static async Task<Results<Ok<ErasureRequestSummary>, ProblemHttpResult>> Handle(
        string id, HttpRequest http, ClaimsPrincipal user, PrivacyDbContext db, TimeProvider clock,
        EnvironmentNames names, SuppressionPropagation propagation, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var requestId))
            return GetErasureRequest.NotFound(id);
        var (body, problem) = await JsonBody.ReadAsync<ReasonBody>(http, ReasonBody.Expectations);
        if (problem is not null)
            return problem;
        if (body!.Validate() is { } errors)
            return Problems.Fields(errors);

        var now = AuditHashing.ToStoredPrecision(clock.GetUtcNow());
        if (await CancelAsync(db, names, requestId, body.Reason!, user.Actor(), now, ct) is not { } request)
            return await StatusConflict.ExplainAsync(db, id, requestId, "Only a pending request can be cancelled", ct);
        await propagation.WaitAsync(ct);
        return TypedResults.Ok(request.ToSummary(now, names));
    }

    /// <summary>
    /// The cancel itself, whoever asks (this endpoint, OpenDSR's DELETE): null, and nothing written, unless the request is
    /// pending. The caller waits for the suppression change to reach every instance before it answers.
    /// </summary>
    public static async Task<ErasureRequest?> CancelAsync(PrivacyDbContext db, EnvironmentNames names, Guid requestId, string reason, string actor,
        DateTimeOffset now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var cancelled = await db.ErasureRequests
            .Where(r => r.Id == requestId && r.Status == RequestStatus.Pending)
            .ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, RequestStatus.Cancelled)
                .SetProperty(r => r.CancelledAt, now)
                .SetProperty(r => r.CancelReason, reason), ct);
        if (cancelled == 0)
            return null;
        // A cancelled request is never carried out, so its raw ids have no further use: only the keyed hashes stay,
        // shredded in the cancel's own transaction (request.shredded below).
        await db.RequestSubjects.Where(s => s.RequestId == requestId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SubjectStatus.Cancelled).SetProperty(s => s.Value, (string?)null), ct);
        // Work already claimed is dropped by the drain's re-check just before it calls Miso.
        await db.WorkItems.Where(w => w.RequestId == requestId && (w.State == WorkItemState.Pending || w.State == WorkItemState.Retrying))
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.State, WorkItemState.Cancelled), ct);
        // Taken after the row locks (the order every writer follows), and before the lift so that it
        // sees every committed request covering the same subjects.
        await LedgerLock.AcquireAsync(db, ct);
        var lifted = (await SuppressionWriter.LiftAsync(db, await UncoveredAsync(db, requestId, names.All.ToArray(), ct), names.All, actor,
                "request cancelled", now, ct))
            .GroupBy(t => Convert.ToHexString(t.Hash))
            .Select(g => (g.First().Hash, Environments: g.Select(t => t.Environment).Order(StringComparer.Ordinal).ToList())).ToList();
        var entries = new List<AuditEntry> { new("request.cancelled", requestId, null, new { reason, suppressions_lifted = lifted.Count }) };
        entries.AddRange(lifted.Select(l => new AuditEntry("suppression.lifted", requestId, l.Hash,
            new { reason = "request cancelled", environments = l.Environments })));
        await AuditLog.AppendAsync(db, actor, now, entries, ct);
        await Shredding.ShredAsync(db, [requestId], actor, now, "request cancelled", ct);
        await db.SaveChangesAsync(ct);
        // Read inside the transaction: once it commits, the answer must not depend on the database still being there.
        var request = await db.ErasureRequests.AsNoTracking().FirstAsync(r => r.Id == requestId, ct);
        await transaction.CommitAsync(ct);
        return request;
    }

    /// <summary>
    /// Each of the request's subjects in each of its environments that no other live request (anything not cancelled)
    /// still suppresses there. Only suppressing types count on either side: a delete request holds no suppression to
    /// lift, and covers none. A request without recorded environments covers every configured one.
    /// </summary>
    static Task<List<SuppressionTarget>> UncoveredAsync(PrivacyDbContext db, Guid requestId, string[] configured, CancellationToken ct) =>
        db.Database.SqlQueryRaw<SuppressionTarget>(UncoveredSql,
            new Npgsql.NpgsqlParameter("id", requestId), new Npgsql.NpgsqlParameter("configured", configured)).ToListAsync(ct);

    static readonly string UncoveredSql = $"""
        SELECT s.hash, e.name AS environment
        FROM privacy.request_subjects s
        JOIN privacy.erasure_requests me ON me.id = s.request_id
        CROSS JOIN unnest(COALESCE(me.environments, @configured::text[])) AS e(name)
        WHERE s.request_id = @id AND me.type IN {RequestTypes.SuppressingSql}
          AND NOT EXISTS (
            SELECT 1 FROM privacy.request_subjects o
            JOIN privacy.erasure_requests r ON r.id = o.request_id
            WHERE o.hash = s.hash AND r.id <> @id AND r.status <> 'cancelled' AND r.type IN {RequestTypes.SuppressingSql}
              AND e.name = ANY (COALESCE(r.environments, @configured::text[])))
        """;
}
