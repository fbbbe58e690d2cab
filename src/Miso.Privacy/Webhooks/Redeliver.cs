using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Webhooks;

public static class Redeliver
{
    /// <summary>
    /// Sends a finished delivery's event again, as a new delivery with the same body and <c>webhook-id</c> (a receiver that
    /// already has it can tell). It keeps its event's place in the request's order, so the request's later events that
    /// are still waiting go after it.
    /// </summary>
    public static async Task<Results<Accepted<DeliveryItem>, ProblemHttpResult>> Handle(
        string id, string deliveryId, ClaimsPrincipal user, PrivacyDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var webhookId))
            return DeleteWebhook.NotFound();
        var webhook = await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == webhookId, ct);
        if (webhook is null)
            return DeleteWebhook.NotFound();
        if (!long.TryParse(deliveryId, out var originalId)
            || await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == originalId && d.WebhookId == webhookId, ct) is not { } original)
            return Problems.Field("delivery_id", "This webhook has no delivery with this id.", StatusCodes.Status404NotFound);
        if (webhook.DeletedAt is not null)
            return Problems.Field("id", "This webhook was deleted; nothing is sent to it any more.", StatusCodes.Status409Conflict);

        var now = AuditHashing.ToStoredPrecision(clock.GetUtcNow());
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The new delivery's key on its request, taken before the ledger lock as every writer takes its row locks: a batch
        // settling the request holds the row and waits for the ledger lock, so asking for the row under it would deadlock.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM privacy.erasure_requests WHERE id = {original.RequestId} FOR KEY SHARE", ct);
        // Under the ledger lock, so two redeliveries of one event cannot both see none open.
        await LedgerLock.AcquireAsync(db, ct);
        if (await db.WebhookDeliveries.AnyAsync(d => d.EventId == original.EventId && d.Target == original.Target
                && (d.State == DeliveryState.Pending || d.State == DeliveryState.Sending), ct))
            return Problems.Field("delivery_id", "This event is still being delivered to this webhook; wait until it is delivered or has failed.",
                StatusCodes.Status409Conflict);
        var again = new WebhookDelivery
        {
            EventId = original.EventId, EventType = original.EventType, EventSeq = original.EventSeq, RequestId = original.RequestId,
            Target = original.Target, WebhookId = webhookId, Format = original.Format, Url = webhook.Url, Body = original.Body,
            State = DeliveryState.Pending, NextAttemptAt = now, CreatedAt = now, RedeliveryOf = original.Id,
        };
        db.WebhookDeliveries.Add(again);
        await AuditLog.AppendAsync(db, user.Actor(), now, new AuditEntry("webhook.redelivered", original.RequestId, null,
            new { webhook_id = webhookId, delivery_id = original.Id, message_id = WebhookSignature.MessageId(original.EventId), type = original.EventType }), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Accepted((string?)null, again.ToItem([]));
    }
}
