namespace Miso.Privacy.Webhooks;

/// <summary>
/// <c>pending</c> until sent; <c>sending</c> while a dispatch holds it (until <see cref="WebhookDelivery.NextAttemptAt"/>, its
/// lease); then <c>delivered</c> (a 2xx), <c>failed</c> (retries exhausted, refused destination, or 410 Gone) or
/// <c>cancelled</c> (its webhook was deleted first).
/// </summary>
public enum DeliveryState { Pending, Sending, Delivered, Failed, Cancelled }

/// <summary>
/// One event for one destination: the outbox row, written in the transaction that made the state change. Its body is
/// fixed when written, and <see cref="EventId"/> (the <c>webhook-id</c>) is the same on every attempt and redelivery.
/// Deliveries of one request to one destination (<see cref="Target"/>) go out in <see cref="EventSeq"/> order: a later
/// one waits until the earlier one is delivered or has failed for good.
/// </summary>
public sealed class WebhookDelivery
{
    public long Id { get; init; }
    public Guid EventId { get; init; }
    public required string EventType { get; init; }

    /// <summary>The audit event's seq: commit order, since audit appends hold the ledger lock until commit.</summary>
    public long EventSeq { get; init; }
    public Guid RequestId { get; init; }

    /// <summary><c>w:</c> and the webhook's id, or <c>c:</c> and the request callback's id: the stream order is kept in.</summary>
    public required string Target { get; init; }
    public Guid? WebhookId { get; init; }
    public long? CallbackId { get; init; }

    /// <summary>The API key whose callback secret signs a <c>callback_url</c> delivery.</summary>
    public string? KeyName { get; init; }
    public required string Format { get; init; }
    public required string Url { get; init; }
    public required string Body { get; init; }
    public DeliveryState State { get; set; }
    public int AttemptCount { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public Guid? ClaimId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public int? LastStatus { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }

    /// <summary>The delivery an admin asked to send again, when this is that redelivery.</summary>
    public long? RedeliveryOf { get; init; }

    public static string WebhookTarget(Guid webhookId) => "w:" + webhookId;

    public static string CallbackTarget(long callbackId) => "c:" + callbackId;
}
