using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Webhooks;

/// <summary>
/// Claims due deliveries with FOR UPDATE SKIP LOCKED and a lease, so dispatches on any instance never send the same one
/// at once, and a killed dispatch's deliveries come back when the lease ends (sent again, same webhook-id: at least once).
/// Only the head of each stream (one request, one destination) can be claimed: an earlier delivery still open holds the
/// later ones back, so a receiver sees a request's events in the order they happened.
/// </summary>
public sealed class DeliveryClaims(PrivacyDbContext db)
{
    sealed record Row(long Id, Guid EventId, string EventType, Guid RequestId, string Format, string Url, string Body, Guid? WebhookId,
        string? KeyName, int AttemptCount, DateTimeOffset CreatedAt);

    public async Task<List<DeliveryToSend>> ClaimAsync(Guid claimId, int limit, TimeSpan lease, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<Row>($"""
            WITH due AS (
                SELECT d.id FROM privacy.webhook_deliveries d
                WHERE d.state IN ('pending', 'sending') AND d.next_attempt_at <= now()
                  AND NOT EXISTS (SELECT 1 FROM privacy.webhook_deliveries e
                                  WHERE e.target = d.target AND e.request_id = d.request_id
                                    AND e.state IN ('pending', 'sending') AND e.event_seq < d.event_seq)
                ORDER BY d.next_attempt_at
                LIMIT {limit}
                FOR UPDATE SKIP LOCKED)
            UPDATE privacy.webhook_deliveries d
            SET state = 'sending', claim_id = {claimId}, attempt_count = d.attempt_count + 1,
                next_attempt_at = now() + make_interval(secs => {lease.TotalSeconds})
            FROM due WHERE d.id = due.id
            RETURNING d.id, d.event_id, d.event_type, d.request_id, d.format, d.url, d.body, d.webhook_id, d.key_name, d.attempt_count, d.created_at
            """).ToListAsync(ct);
        return rows.Select(r => new DeliveryToSend(r.Id, r.EventId, r.EventType, r.RequestId, r.Format, r.Url, r.Body, r.WebhookId, r.KeyName,
            r.AttemptCount, r.CreatedAt)).ToList();
    }
}
