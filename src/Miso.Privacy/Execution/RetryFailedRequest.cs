using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Audit;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Execution;

/// <summary>An operator puts a failed request's failed items back; the request returns to pending.</summary>
public static class RetryFailedRequest
{
    public static async Task<Results<Ok<ErasureRequestSummary>, ProblemHttpResult>> Handle(
        string id, ClaimsPrincipal user, PrivacyDbContext db, TimeProvider clock, EnvironmentNames names, ErasureNotifications notifications,
        CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var requestId))
            return GetErasureRequest.NotFound(id);
        var now = AuditHashing.ToStoredPrecision(clock.GetUtcNow());
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var reopened = await db.ErasureRequests.Where(r => r.Id == requestId && r.Status == RequestStatus.Failed)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RequestStatus.Pending), ct);
        if (reopened == 0)
            return await StatusConflict.ExplainAsync(db, id, requestId, "Only a failed request can be retried", ct);
        var items = await db.WorkItems.Where(w => w.RequestId == requestId && w.State == WorkItemState.Failed)
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.State, WorkItemState.Pending).SetProperty(w => w.Attempts, 0)
                .SetProperty(w => w.NextAttemptAt, now).SetProperty(w => w.LastError, (string?)null), ct);
        await db.RequestSubjects.Where(s => s.RequestId == requestId && s.Status == SubjectStatus.Failed)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SubjectStatus.Pending), ct);
        await AuditLog.AppendAsync(db, user.Actor(), now, new AuditEntry("request.retried", requestId, null, new { items }), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        notifications.RequestCreated(requestId);

        var request = await db.ErasureRequests.AsNoTracking().FirstAsync(r => r.Id == requestId, ct);
        return TypedResults.Ok(request.ToSummary(now, names));
    }
}
