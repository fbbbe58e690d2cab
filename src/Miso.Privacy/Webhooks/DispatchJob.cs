using Hangfire;

namespace Miso.Privacy.Webhooks;

/// <summary>The Hangfire entry point, recurring on the webhooks queue, which only the webhook workers take.</summary>
public sealed class DispatchJob(Dispatcher dispatcher)
{
    public const string RecurringId = "webhooks";
    public const string Queue = "webhooks";

    [Queue(Queue)]
    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(CancellationToken ct) => dispatcher.DispatchAsync(ct);
}
