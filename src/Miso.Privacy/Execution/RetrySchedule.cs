namespace Miso.Privacy.Execution;

/// <summary>The job's own retries, for outages longer than the HTTP layer's short ones.</summary>
public static class RetrySchedule
{
    public static TimeSpan Delay(ExecutionOptions options, int attempts, TimeSpan? retryAfter)
    {
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1));
        var capped = Math.Min(exponential, options.RetryMaxDelay.TotalMilliseconds);
        var jittered = capped * (0.8 + 0.4 * Random.Shared.NextDouble());
        var delay = TimeSpan.FromMilliseconds(jittered);
        return retryAfter is { } after && after > delay ? after : delay;
    }
}
