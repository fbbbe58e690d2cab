using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Erasure;
using Miso.Privacy.Execution;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Infrastructure.Telemetry;

/// <summary>
/// The service's own counters. Labels are closed sets only (regulation, type, late, environment, operation, HTTP status):
/// never a subject, a request id or a key.
/// </summary>
public sealed class PrivacyMetrics
{
    public const string MeterName = "Miso.Privacy";

    /// <summary>From a quick delete to a call that waited out its 10 s attempt timeout and retries.</summary>
    static readonly double[] CallBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    readonly Counter<long> _received;
    readonly Counter<long> _completed;
    readonly Counter<long> _failed;
    readonly Histogram<double> _misoCalls;

    public PrivacyMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _received = meter.CreateCounter<long>("miso_privacy.requests.received", "{request}", "Erasure requests accepted (replays not counted).");
        _completed = meter.CreateCounter<long>("miso_privacy.requests.completed", "{request}", "Erasure requests completed.");
        _failed = meter.CreateCounter<long>("miso_privacy.requests.failed", "{request}", "Erasure requests that became failed.");
        _misoCalls = meter.CreateHistogram("miso_privacy.miso.call.duration", "s",
            "Miso deletion calls by environment, operation and final status (0 = no answer), retries inside the call included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CallBuckets });
    }

    public void RequestReceived(Regulation regulation, RequestType type) =>
        _received.Add(1, Tag("regulation", Text(regulation)), Tag("type", Text(type)));

    /// <summary>A completion, labelled late or not by the one clock (<see cref="ResponseClock"/>).</summary>
    public void RequestCompleted(Regulation regulation, RequestType type, bool late) =>
        _completed.Add(1, Tag("regulation", Text(regulation)), Tag("type", Text(type)), Tag("late", late ? "true" : "false"));

    /// <summary>
    /// Called inside the settling transaction: a batch whose outcome is recorded again after a deadlock counts
    /// its settled requests again, so these counters can run slightly high, never low.
    /// </summary>
    public async Task RequestsCompletedAsync(PrivacyDbContext db, IReadOnlyCollection<Guid> requestIds, CancellationToken ct)
    {
        if (requestIds.Count == 0 || !_completed.Enabled)
            return;
        var groups = await db.Database.SqlQueryRaw<Group>(CompletedSql, new Npgsql.NpgsqlParameter("ids", requestIds.ToArray())).ToListAsync(ct);
        foreach (var group in groups)
            _completed.Add(group.Count, Tag("regulation", group.Regulation), Tag("type", group.Type), Tag("late", group.Late ? "true" : "false"));
    }

    public async Task RequestsFailedAsync(PrivacyDbContext db, IReadOnlyCollection<Guid> requestIds, CancellationToken ct)
    {
        if (requestIds.Count == 0 || !_failed.Enabled)
            return;
        var ids = requestIds.ToArray();
        var groups = await db.ErasureRequests.Where(r => ids.Contains(r.Id)).GroupBy(r => new { r.Regulation, r.Type })
            .Select(g => new { g.Key.Regulation, g.Key.Type, Count = g.Count() }).ToListAsync(ct);
        foreach (var group in groups)
            _failed.Add(group.Count, Tag("regulation", Text(group.Regulation)), Tag("type", Text(group.Type)));
    }

    static readonly string CompletedSql = $"""
        SELECT r.regulation, r.type, {ResponseClock.LateSql("r")} AS late, count(*)::int AS count
          FROM privacy.erasure_requests r WHERE r.id = ANY(@ids) GROUP BY 1, 2, 3
        """;

    sealed record Group(string Regulation, string Type, bool Late, int Count);

    public void MisoCall(string environment, MisoOperation operation, int status, TimeSpan elapsed) =>
        _misoCalls.Record(elapsed.TotalSeconds, Tag("environment", environment), Tag("operation", BatchClaims.Text(operation)), Tag("status", status));

    internal static string Text(Regulation regulation) => SnakeCaseEnumConverter<Regulation>.ToText(regulation);

    internal static string Text(RequestType type) => SnakeCaseEnumConverter<RequestType>.ToText(type);

    static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
