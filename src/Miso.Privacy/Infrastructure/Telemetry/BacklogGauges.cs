using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Erasure;
using Miso.Privacy.Execution;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Infrastructure.Telemetry;

/// <summary>
/// Database-wide state as gauges: the same figures from every instance (take max, not sum, across them).
/// One snapshot of three small queries serves every gauge and is reused for a few seconds, so frequent or
/// parallel scrapes cost the database nothing more.
/// </summary>
public sealed partial class BacklogGauges
{
    static readonly TimeSpan Reuse = TimeSpan.FromSeconds(5);

    readonly IServiceScopeFactory _scopes;
    readonly TimeProvider _clock;
    readonly ILogger<BacklogGauges> _logger;
    readonly Lock _lock = new();
    Snapshot _snapshot = Snapshot.Empty;
    DateTimeOffset _takenAt = DateTimeOffset.MinValue;

    public BacklogGauges(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider clock, ILogger<BacklogGauges> logger)
    {
        (_scopes, _clock, _logger) = (scopes, clock, logger);
        var meter = meters.Create(PrivacyMetrics.MeterName);
        meter.CreateObservableGauge("miso_privacy.work_items", () => Current().WorkItems, "{item}",
            "Work items by state and Miso environment.");
        meter.CreateObservableGauge("miso_privacy.drain.lag", () => Current().DrainLagSeconds, "s",
            "How long the oldest due pending or retrying work item has been waiting; 0 when none is due.");
        meter.CreateObservableGauge("miso_privacy.requests.overdue", () => Current().Overdue, "{request}",
            "Open requests (pending, in progress, failed) past their (extended) due date, by regulation and type.");
    }

    sealed record Snapshot(Measurement<long>[] WorkItems, double DrainLagSeconds, Measurement<long>[] Overdue)
    {
        public static readonly Snapshot Empty = new([], 0, []);
    }

    Snapshot Current()
    {
        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            if (now - _takenAt < Reuse)
                return _snapshot;
            // On failure the last figures stay, and the next try waits out the same interval.
            _takenAt = now;
            try
            {
                _snapshot = Take(now);
            }
            catch (Exception e)
            {
                LogQueryFailed(e.GetType().Name);
            }
            return _snapshot;
        }
    }

    /// <summary>Synchronous because observable instruments are read synchronously, on the scrape.</summary>
    Snapshot Take(DateTimeOffset now)
    {
        using var scope = _scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PrivacyDbContext>();
        var items = db.WorkItems.GroupBy(w => new { w.State, w.Environment })
            .Select(g => new { g.Key.State, g.Key.Environment, Count = g.LongCount() }).ToList();
        var oldestDue = db.WorkItems
            .Where(w => (w.State == WorkItemState.Pending || w.State == WorkItemState.Retrying) && w.NextAttemptAt <= now)
            .Min(w => (DateTimeOffset?)w.NextAttemptAt);
        var overdue = db.ErasureRequests.Where(r => OpenStatuses.All.Contains(r.Status) && r.DueAt < now)
            .GroupBy(r => new { r.Regulation, r.Type }).Select(g => new { g.Key.Regulation, g.Key.Type, Count = g.LongCount() })
            .ToDictionary(g => (g.Regulation, g.Type), g => g.Count);

        return new Snapshot(
            [.. items.Select(i => new Measurement<long>(i.Count,
                new("state", SnakeCaseEnumConverter<WorkItemState>.ToText(i.State)), new("environment", i.Environment)))],
            oldestDue is { } due ? Math.Max(0, (now - due).TotalSeconds) : 0,
            // Every regulation and type, zeros included, so an alert on this series never sees it vanish.
            [.. Enum.GetValues<Regulation>().SelectMany(_ => Enum.GetValues<RequestType>(), (r, t) => new Measurement<long>(
                overdue.GetValueOrDefault((r, t)),
                new KeyValuePair<string, object?>("regulation", PrivacyMetrics.Text(r)), new KeyValuePair<string, object?>("type", PrivacyMetrics.Text(t))))]);
    }

    [LoggerMessage(LogLevel.Warning, "Could not read the backlog for the metrics ({Error}); serving the previous figures")]
    partial void LogQueryFailed(string error);
}
