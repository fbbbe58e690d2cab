namespace Miso.Privacy.Webhooks;

/// <summary>
/// The status events a subscriber can receive. Each is the action of the audit event that records the state change, so
/// the outbox writes a delivery exactly when, and in the transaction where, the chain records the change.
/// </summary>
public static class WebhookEvents
{
    public const string Created = "request.created";
    public const string InProgress = "request.in_progress";
    public const string Completed = "request.completed";
    public const string Failed = "request.failed";
    public const string Cancelled = "request.cancelled";
    public const string Extended = "request.extended";

    /// <summary>A failed request put back to pending by an operator (POST .../retry).</summary>
    public const string Retried = "request.retried";

    public static readonly string[] All = [Created, InProgress, Completed, Failed, Cancelled, Extended, Retried];

    public static bool IsStatusEvent(string action) => All.Contains(action);
}
