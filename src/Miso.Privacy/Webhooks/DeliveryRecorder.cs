using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Webhooks;

/// <summary>
/// Records one attempt and what follows from it: delivered, tried again later, or failed for good (after
/// <see cref="WebhookOptions.RetryFor"/>, at a refused destination, or on 410 Gone). It lands only while the dispatch still
/// owns the delivery, so an attempt whose lease ran out (and was taken over) cannot undo a later outcome.
/// </summary>
public sealed partial class DeliveryRecorder(PrivacyDbContext db, IOptions<WebhookOptions> options, ILogger<DeliveryRecorder> logger)
{
    /// <summary>The actor of the service's own audit entries about deliveries.</summary>
    public const string Actor = "system";

    public async Task RecordAsync(DeliveryToSend delivery, Guid claimId, DateTimeOffset attemptedAt, DeliveryOutcome outcome, CancellationToken ct)
    {
        var o = options.Value;
        var now = AuditHashing.ToStoredPrecision(attemptedAt + outcome.Elapsed);
        var retryAt = now + DeliveryBackoff.Delay(o, delivery.AttemptCount, outcome.RetryAfter);
        var state = outcome.Delivered ? DeliveryState.Delivered
            : outcome.Retryable && retryAt <= delivery.CreatedAt + o.RetryFor ? DeliveryState.Pending
            : DeliveryState.Failed;
        var error = outcome.Error is { Length: > 500 } text ? text[..500] : outcome.Error;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var landed = await db.WebhookDeliveries
            .Where(d => d.Id == delivery.Id && d.ClaimId == claimId && d.State == DeliveryState.Sending)
            .ExecuteUpdateAsync(u => u
                .SetProperty(d => d.State, state)
                .SetProperty(d => d.NextAttemptAt, state == DeliveryState.Pending ? retryAt : now)
                .SetProperty(d => d.LastAttemptAt, AuditHashing.ToStoredPrecision(attemptedAt))
                .SetProperty(d => d.LastStatus, outcome.StatusCode)
                .SetProperty(d => d.LastError, error)
                .SetProperty(d => d.DeliveredAt, state == DeliveryState.Delivered ? now : (DateTimeOffset?)null)
                .SetProperty(d => d.FailedAt, state == DeliveryState.Failed ? now : (DateTimeOffset?)null), ct);
        if (landed == 0)
            return;
        db.DeliveryAttempts.Add(new DeliveryAttempt
        {
            DeliveryId = delivery.Id, AttemptedAt = AuditHashing.ToStoredPrecision(attemptedAt), StatusCode = outcome.StatusCode, Error = error,
            DurationMs = (int)Math.Min(int.MaxValue, outcome.Elapsed.TotalMilliseconds),
        });
        if (state == DeliveryState.Failed)
        {
            // A controller that was never told is evidence too (OpenDSR §8.5: monitor failed callbacks); and the dashboard counts it.
            await AuditLog.AppendAsync(db, Actor, now, new AuditEntry("webhook.delivery_failed", delivery.RequestId, null, new
            {
                delivery_id = delivery.Id,
                webhook_id = delivery.WebhookId,
                message_id = WebhookSignature.MessageId(delivery.EventId),
                type = delivery.EventType,
                format = delivery.Format,
                attempts = delivery.AttemptCount,
                last_status = outcome.StatusCode,
                error,
            }), ct);
            LogFailed(delivery.Id, delivery.EventType, delivery.AttemptCount);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    [LoggerMessage(LogLevel.Warning, "Webhook delivery {DeliveryId} ({EventType}) failed for good after {Attempts} attempt(s)")]
    partial void LogFailed(long deliveryId, string eventType, int attempts);
}
