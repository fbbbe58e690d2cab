using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Webhooks;

public static class DeleteWebhook
{
    /// <summary>
    /// Stops the webhook: nothing more is written for it, and what was waiting is cancelled (a delivery on the wire
    /// finishes). Its deliveries stay listed. Deleting it again answers 204 and writes nothing.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        string id, ClaimsPrincipal user, PrivacyDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var webhookId))
            return NotFound();
        var now = AuditHashing.ToStoredPrecision(clock.GetUtcNow());
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var deleted = await db.Webhooks.Where(w => w.Id == webhookId && w.DeletedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.DeletedAt, now).SetProperty(w => w.DeletedBy, user.Actor()), ct);
        if (deleted == 0)
            return await db.Webhooks.AnyAsync(w => w.Id == webhookId, ct) ? TypedResults.NoContent() : NotFound();
        var cancelled = await db.WebhookDeliveries.Where(d => d.WebhookId == webhookId && d.State == DeliveryState.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.State, DeliveryState.Cancelled), ct);
        await AuditLog.AppendAsync(db, user.Actor(), now, new AuditEntry("webhook.deleted", null, null, new { id = webhookId, deliveries_cancelled = cancelled }), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    public static ProblemHttpResult NotFound() => Problems.Field("id", "No webhook has this id.", StatusCodes.Status404NotFound);
}
