using Hangfire;

namespace Miso.Privacy.Execution;

/// <summary>The Hangfire entry point: recurring, and scheduled right after each new request.</summary>
public sealed class DrainJob(Drainer drainer)
{
    public const string RecurringId = "drain";

    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(CancellationToken ct) => drainer.DrainAsync(ct);
}
