using Miso.Privacy.Erasure;

namespace Miso.Privacy.Webhooks;

/// <summary>A request as a status event reports it: as it stands in the transaction that wrote the event. No subject, ever.</summary>
public sealed record RequestSnapshot(Guid Id, string Status, string Type, string Regulation, DateTimeOffset DueAt, string? Ticket, RequestCounts Counts);

/// <summary>One state change, named by the audit event that records it.</summary>
public sealed record StatusEvent(Guid EventId, string Type, long Seq, DateTimeOffset OccurredAt, RequestSnapshot Request);

/// <summary>A claimed delivery, as the dispatch sends it.</summary>
public sealed record DeliveryToSend(
    long Id, Guid EventId, string EventType, Guid RequestId, string Format, string Url, string Body, Guid? WebhookId, string? KeyName,
    int AttemptCount, DateTimeOffset CreatedAt);

/// <summary>
/// How the deliveries of one format are written and signed: Standard Webhooks (<see cref="StandardWebhooksFormat"/>), and
/// OpenDSR's status callbacks, which the OpenDsr feature adds. The outbox and the dispatch are the same for all.
/// </summary>
public interface ICallbackFormat
{
    string Name { get; }

    /// <summary>
    /// The exact body for this event and destination, written once, with the event; null when this format cannot write one
    /// now (OpenDSR switched off since): the callback is skipped, never the state change it reports.
    /// </summary>
    string? Body(StatusEvent statusEvent, RequestCallback callback);

    /// <summary>Adds the headers that authenticate the body, before every attempt.</summary>
    ValueTask SignAsync(HttpRequestMessage message, DeliveryToSend delivery, byte[] body, DateTimeOffset now, CancellationToken ct);
}
