using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;
using Npgsql;

namespace Miso.Privacy.Suppressions;

/// <summary>
/// Writes the blocked-record counts every <see cref="Interval"/> in one statement, mapping each lookup key to the
/// requests whose active suppressions in that environment (or everywhere) hold it and that were filed before the drop.
/// A kill loses at most one interval's counts; a failed write keeps them for the next. A suppression filed without a
/// request has no evidence to add to; left in the statement, its row would fail every flush and keep every count forever.
/// </summary>
public sealed partial class BlockedUploadsFlush(BlockedUploads blocked, IServiceScopeFactory scopes, IMeterFactory meters,
    ILogger<BlockedUploadsFlush> logger) : BackgroundService
{
    /// <summary>In the service's own meter, which /metrics exports.</summary>
    public const string MeterName = "Miso.Privacy";

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    readonly Counter<long> _written = meters.Create(MeterName).CreateCounter<long>("miso_privacy.uploads.blocked_after_erasure", "{record}",
        "Uploaded records dropped because they named a subject of an erasure or suppression request, counted when written to the request's evidence.");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        var taken = blocked.Take();
        if (taken.Count == 0)
            return;
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PrivacyDbContext>();
            await db.Database.ExecuteSqlRawAsync(FlushSql, [
                new NpgsqlParameter("keys", taken.Select(t => unchecked((long)t.Key)).ToArray()),
                new NpgsqlParameter("environments", taken.Select(t => t.Environment).ToArray()),
                new NpgsqlParameter("records", taken.Select(t => t.Records).ToArray()),
                new NpgsqlParameter("at", taken.Select(t => t.LastAt).ToArray())], ct);
            foreach (var environment in taken.GroupBy(t => t.Environment))
                _written.Add(environment.Sum(t => t.Records), new KeyValuePair<string, object?>("environment", environment.Key));
        }
        catch (Exception e)
        {
            blocked.Restore(taken);
            LogFlushFailed(e.GetType().Name);
        }
    }

    const string FlushSql = """
        INSERT INTO privacy.blocked_uploads AS b (request_id, day, blocked_records, last_blocked_at)
        SELECT m.request_id, (m.at AT TIME ZONE 'UTC')::date, sum(m.records), max(m.at)
        FROM (SELECT DISTINCT s.request_id, t.key, t.environment, t.records, t.at
              FROM unnest(@keys::bigint[], @environments::text[], @records::bigint[], @at::timestamptz[]) AS t(key, environment, records, at)
              JOIN privacy.suppressions s ON s.lookup_key = t.key AND s.lifted_at IS NULL AND s.request_id IS NOT NULL
                   AND (s.environment = t.environment OR s.environment IS NULL) AND s.created_at <= t.at) m
        GROUP BY m.request_id, (m.at AT TIME ZONE 'UTC')::date
        ON CONFLICT (request_id, day) DO UPDATE SET blocked_records = b.blocked_records + EXCLUDED.blocked_records,
            last_blocked_at = GREATEST(b.last_blocked_at, EXCLUDED.last_blocked_at)
        """;

    [LoggerMessage(LogLevel.Warning, "Could not write the blocked-upload counts ({Error}); kept for the next flush")]
    partial void LogFlushFailed(string error);
}
