using System.Collections.Concurrent;
using System.Diagnostics;

namespace Miso.Emulator.Faults;

sealed record InjectedFault(int Status, string Message, bool RetryAfter = false);

/// <summary>Active fault settings per environment name.</summary>
sealed class FaultBook(TimeProvider time)
{
    static readonly int[] DefaultErrorStatuses = [500, 502, 503];
    readonly ConcurrentDictionary<string, ActiveFaults> _active = new(StringComparer.Ordinal);

    public void Set(FaultSettings settings, IEnumerable<string> environments)
    {
        var now = time.GetUtcNow();
        foreach (var environment in environments)
            _active[environment] = new ActiveFaults(settings with { Environment = environment }, now);
    }

    public void Clear() => _active.Clear();

    public List<FaultSettings> Current() => _active.Values.Select(a => a.Settings).OrderBy(s => s.Environment).ToList();

    public async ValueTask<InjectedFault?> InjectAsync(string environment, CancellationToken cancellationToken)
    {
        if (!_active.TryGetValue(environment, out var faults))
            return null;

        var settings = faults.Settings;
        await DelayAsync(settings, cancellationToken);

        var now = time.GetUtcNow();
        if (faults.InOutage(now))
            return new InjectedFault(StatusCodes.Status503ServiceUnavailable, "Service temporarily unavailable. Please retry later.");
        if (!faults.TryAdmit(now))
            return new InjectedFault(StatusCodes.Status429TooManyRequests, "Too many requests. Please slow down.", RetryAfter: true);
        if (settings.ErrorRate > 0 && Random.Shared.NextDouble() < settings.ErrorRate)
        {
            var statuses = settings.ErrorStatuses is { Length: > 0 } configured ? configured : DefaultErrorStatuses;
            var status = statuses[Random.Shared.Next(statuses.Length)];
            return new InjectedFault(status, status == 500
                ? "Something went wrong. Please contact miso product team."
                : $"{ReasonPhrase(status)} (emulated fault).");
        }
        return null;
    }

    // Loops on a stopwatch so a client never observes less than the configured latency.
    static async Task DelayAsync(FaultSettings settings, CancellationToken cancellationToken)
    {
        var jitter = settings.LatencyJitterMs > 0 ? Random.Shared.Next(settings.LatencyJitterMs + 1) : 0;
        var target = TimeSpan.FromMilliseconds(settings.LatencyMs + jitter);
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < target)
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling((target - stopwatch.Elapsed).TotalMilliseconds)), cancellationToken);
    }

    static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";

    sealed class ActiveFaults(FaultSettings settings, DateTimeOffset since)
    {
        readonly Lock _gate = new();
        readonly DateTimeOffset _outageEnds = since + TimeSpan.FromSeconds(settings.OutageSeconds ?? 0);
        long _window;
        int _callsInWindow;

        public FaultSettings Settings { get; } = settings;

        public bool InOutage(DateTimeOffset now) => now < _outageEnds;

        /// <summary>Fixed one-second windows, counted per environment.</summary>
        public bool TryAdmit(DateTimeOffset now)
        {
            if (Settings.RateLimitPerSecond is not { } limit)
                return true;
            lock (_gate)
            {
                var second = now.ToUnixTimeSeconds();
                if (second != _window)
                    (_window, _callsInWindow) = (second, 0);
                return ++_callsInWindow <= limit;
            }
        }
    }
}
