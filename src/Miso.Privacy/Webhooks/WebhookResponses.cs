namespace Miso.Privacy.Webhooks;

/// <summary>The one answer that holds a webhook's secret.</summary>
public sealed record CreatedWebhook(Guid Id, string Url, string[] Events, DateTimeOffset CreatedAt, string Secret);

public sealed record WebhookItem(Guid Id, string Url, string[] Events, DateTimeOffset CreatedAt, string CreatedBy);

public sealed record WebhookList(IReadOnlyList<WebhookItem> Data);

public sealed record AttemptItem(DateTimeOffset AttemptedAt, int? StatusCode, string? Error, int DurationMs);

/// <summary>One delivery as the listing shows it; <c>message_id</c> is the <c>webhook-id</c> header it is sent with.</summary>
public sealed record DeliveryItem(
    long Id, Guid WebhookId, string MessageId, string Type, Guid RequestId, DeliveryState State, int AttemptCount, DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? LastAttemptAt, int? LastStatus, string? LastError, DateTimeOffset? DeliveredAt,
    DateTimeOffset? FailedAt, long? RedeliveryOf, IReadOnlyList<AttemptItem> Attempts);

public sealed record DeliveryPage(IReadOnlyList<DeliveryItem> Data, string? NextCursor);

/// <summary>The one answer that holds a key's callback secret.</summary>
public sealed record CreatedCallbackSecret(string KeyName, string Secret, DateTimeOffset CreatedAt);

static class DeliveryMapping
{
    public static DeliveryItem ToItem(this WebhookDelivery d, IEnumerable<DeliveryAttempt> attempts) =>
        new(d.Id, d.WebhookId!.Value, WebhookSignature.MessageId(d.EventId), d.EventType, d.RequestId, d.State, d.AttemptCount, d.CreatedAt,
            d.State is DeliveryState.Pending ? d.NextAttemptAt : null, d.LastAttemptAt, d.LastStatus, d.LastError, d.DeliveredAt, d.FailedAt,
            d.RedeliveryOf, attempts.OrderBy(a => a.Id).Select(a => new AttemptItem(a.AttemptedAt, a.StatusCode, a.Error, a.DurationMs)).ToList());

    public static WebhookItem ToItem(this Webhook w) => new(w.Id, w.Url, w.Events, w.CreatedAt, w.CreatedBy);
}
