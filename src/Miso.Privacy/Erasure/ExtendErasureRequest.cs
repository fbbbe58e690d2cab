using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.Infrastructure.Json;

namespace Miso.Privacy.Erasure;

public static class ExtendErasureRequest
{
    public static async Task<Results<Ok<ErasureRequestSummary>, ProblemHttpResult>> Handle(
        string id, HttpRequest http, ClaimsPrincipal user, PrivacyDbContext db, Deadlines deadlines, TimeProvider clock,
        EnvironmentNames names, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var requestId))
            return GetErasureRequest.NotFound(id);
        var (body, problem) = await JsonBody.ReadAsync<ExtendBody>(http, ExtendBody.Expectations);
        if (problem is not null)
            return problem;
        var now = AuditHashing.ToStoredPrecision(clock.GetUtcNow());
        if (body!.Validate(now) is { } errors)
            return Problems.Fields(errors);
        var notifiedAt = AuditHashing.ToStoredPrecision(body.NotifiedAt!.Value);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var request = await db.ErasureRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == requestId, ct);
        if (request is null)
            return GetErasureRequest.NotFound(id);
        var (dueAt, refusal) = ExtensionRules.Check(request, notifiedAt, now, deadlines);
        if (refusal is not null)
            return refusal.ToProblem();

        // The rules again, as the write's own condition: a cancel, a completion or another extension that
        // committed since the read makes this match nothing, and the read below says which rule it broke.
        var originalDueAt = request.DueAt;
        var extended = await db.ErasureRequests
            .Where(r => r.Id == requestId && OpenStatuses.All.Contains(r.Status) && r.ExtendedAt == null
                && r.DueAt == originalDueAt && r.DueAt >= now && r.SubmittedAt <= notifiedAt)
            .ExecuteUpdateAsync(u => u
                .SetProperty(r => r.DueAt, dueAt!.Value)
                .SetProperty(r => r.OriginalDueAt, originalDueAt)
                .SetProperty(r => r.ExtendedAt, now)
                .SetProperty(r => r.ExtensionReason, body.Reason)
                .SetProperty(r => r.NotifiedAt, notifiedAt), ct);
        if (extended == 0)
        {
            var current = await db.ErasureRequests.AsNoTracking().FirstAsync(r => r.Id == requestId, ct);
            return (ExtensionRules.Check(current, notifiedAt, now, deadlines).Refusal
                ?? new ExtensionRefusal("status", "The request changed while it was being extended; ask again.", StatusCodes.Status409Conflict)).ToProblem();
        }
        await AuditLog.AppendAsync(db, user.Actor(), now, new AuditEntry("request.extended", requestId, null, new
        {
            original_due_at = originalDueAt,
            due_at = dueAt,
            reason = body.Reason,
            notified_at = notifiedAt,
        }), ct);
        await db.SaveChangesAsync(ct);
        // Read inside the transaction: once it commits, the answer must not depend on the database still being there.
        var answer = await db.ErasureRequests.AsNoTracking().FirstAsync(r => r.Id == requestId, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(answer.ToSummary(now, names));
    }
}
