using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure.Database;
using Npgsql;

namespace Miso.Privacy.Dashboard;

/// <summary>
/// The summary from the counters (<see cref="SummaryCounter"/>): totals plus the deltas not yet folded, a few hundred rows
/// whatever the number of requests. Windows are whole UTC buckets: the last 24 hours and 7 days are the current hour and
/// the 23 (167) before it, the last 30 days are today and the 29 days before (the daily chart's last 30 bars). Completion
/// times are counted at the precision the summary shows (<see cref="ResponseClock.Shown"/>), so percentiles and the
/// histogram are taken over shown values; the mean comes from exact sums. Open requests' deadlines ride the (status,
/// due_at) index, counting the ones not yet due: those are recent, while overdue ones pile up when something is stuck.
/// </summary>
public static class SummaryQuery
{
    internal static readonly double[] BucketEdges = [0, 1, 3, 7, 14, 21, 30, 45];

    static string Counters(string metric, string where = "true") => $"""
        (SELECT period, dim1, dim2, dim3, count, late, seconds, latest FROM privacy.summary_counters WHERE metric = '{metric}' AND {where}
         UNION ALL
         SELECT period, dim1, dim2, dim3, count, late, seconds, latest FROM privacy.summary_counter_deltas WHERE metric = '{metric}' AND {where}) c
        """;

    static readonly string Sql = $"""
        SELECT dim1, dim2, dim3, sum(count)::bigint FROM {Counters("requests")} GROUP BY 1, 2, 3 HAVING sum(count) <> 0;
        SELECT count(*) FILTER (WHERE due_at < @soon), count(*) FROM privacy.erasure_requests WHERE status IN {OpenStatuses.Sql} AND due_at >= @now;
        SELECT coalesce(sum(count), 0)::bigint FROM {Counters("extended_by_status", $"dim1 IN {OpenStatuses.Sql}")};
        SELECT coalesce(sum(count) FILTER (WHERE period >= @day), 0)::bigint, coalesce(sum(count), 0)::bigint
          FROM {Counters("completed", "period >= @week AND period <= @now")};
        SELECT dim1::numeric, sum(count)::bigint, sum(late)::bigint, sum(seconds)
          FROM {Counters("completion_time", "period >= @month AND period <= @now")} GROUP BY 1 HAVING sum(count) <> 0 ORDER BY 1;
        SELECT coalesce(sum(count), 0)::bigint FROM {Counters("extended", "period >= @month AND period <= @now")};
        SELECT dim1, max(latest), coalesce(sum(count) FILTER (WHERE dim2 IN ('pending', 'in_flight', 'retrying')), 0)::bigint,
               coalesce(sum(count) FILTER (WHERE dim2 = 'failed'), 0)::bigint
          FROM {Counters("work_items")} GROUP BY 1 HAVING sum(count) <> 0 ORDER BY 1;
        SELECT coalesce(sum(count), 0)::bigint FROM {Counters("suppressed")};
        SELECT count(*) FROM privacy.webhook_deliveries d WHERE d.state = 'failed'
           AND NOT EXISTS (SELECT 1 FROM privacy.webhook_deliveries o WHERE o.event_id = d.event_id AND o.target = d.target AND o.state = 'delivered');
        SELECT (SELECT COALESCE(sum(blocked_records), 0)::bigint FROM privacy.blocked_uploads
                 WHERE day > (@now AT TIME ZONE 'UTC')::date - 30),
               (SELECT coalesce(sum(count), 0)::bigint FROM {Counters("sweeps", "dim1 = 'failed'")});
        """;

    public static async Task<DashboardSummary> ComputeAsync(PrivacyDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await SummaryCompaction.RunAsync(db, ct);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            // One snapshot: open requests (counters) and those not yet due (index) must describe the same moment.
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            await using var command = new NpgsqlCommand(Sql, connection, transaction);
            var hour = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("soon", now.AddDays(7));
            command.Parameters.AddWithValue("day", hour.AddHours(-23));
            command.Parameters.AddWithValue("week", hour.AddHours(-167));
            command.Parameters.AddWithValue("month", new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-29));
            await using var reader = await command.ExecuteReaderAsync(ct);

            var status = new Dictionary<string, long>();
            var regulation = new Dictionary<string, long>();
            var type = new Dictionary<string, long>();
            while (await reader.ReadAsync(ct))
            {
                var count = reader.GetInt64(3);
                status[reader.GetString(0)] = status.GetValueOrDefault(reader.GetString(0)) + count;
                regulation[reader.GetString(1)] = regulation.GetValueOrDefault(reader.GetString(1)) + count;
                type[reader.GetString(2)] = type.GetValueOrDefault(reader.GetString(2)) + count;
            }
            var (dueSoon, notYetDue) = await RowAsync(reader, r => (r.GetInt64(0), r.GetInt64(1)), ct);
            var openExtended = await RowAsync(reader, r => r.GetInt64(0), ct);
            var (last24h, last7d) = await RowAsync(reader, r => (r.GetInt64(0), r.GetInt64(1)), ct);
            await reader.NextResultAsync(ct);
            var times = new List<CompletionTimes>();
            while (await reader.ReadAsync(ct))
                times.Add(new CompletionTimes(reader.GetDecimal(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetDecimal(3)));
            var extendedLast30d = await RowAsync(reader, r => r.GetInt64(0), ct);
            await reader.NextResultAsync(ct);
            var environments = new List<EnvironmentStatus>();
            var failedItems = 0L;
            while (await reader.ReadAsync(ct))
            {
                environments.Add(new EnvironmentStatus(reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2)));
                failedItems += reader.GetInt64(3);
            }
            var suppressed = await RowAsync(reader, r => r.GetInt64(0), ct);
            var failedDeliveries = await RowAsync(reader, r => r.GetInt64(0), ct);
            var retention = await RowAsync(reader, r => new RetentionCounts(r.GetInt64(0), r.GetInt64(1)), ct);
            await reader.DisposeAsync();
            await transaction.CommitAsync(ct);

            long S(string key) => status.GetValueOrDefault(key);
            long R(Regulation key) => regulation.GetValueOrDefault(SnakeCaseEnumConverter<Regulation>.ToText(key));
            long T(RequestType key) => type.GetValueOrDefault(SnakeCaseEnumConverter<RequestType>.ToText(key));
            var open = OpenStatuses.All.Sum(s => S(SnakeCaseEnumConverter<RequestStatus>.ToText(s)));
            var completed = times.Sum(t => t.Count);
            return new DashboardSummary(now,
                new StatusCounts(S("pending"), S("in_progress"), S("completed"), S("failed"), S("cancelled")),
                new RegulationCounts(R(Regulation.Gdpr), R(Regulation.UkGdpr), R(Regulation.Ccpa), R(Regulation.Other)),
                open, open - notYetDue, dueSoon, new CompletedCounts(last24h, last7d, completed, times.Sum(t => t.Late)),
                CompletionTimeOf(times), failedItems, suppressed, environments,
                new TypeCounts(T(RequestType.Erase), T(RequestType.Suppress), T(RequestType.Delete)),
                new ExtendedCounts(openExtended, extendedLast30d))
            {
                FailedWebhookDeliveries = failedDeliveries, Retention = retention,
            };
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Requests that took <paramref name="Days"/> (as shown) to complete: how many, how many late, their exact seconds.</summary>
    sealed record CompletionTimes(decimal Days, long Count, long Late, decimal Seconds);

    static CompletionTime CompletionTimeOf(List<CompletionTimes> times)
    {
        var n = times.Sum(t => t.Count);
        if (n == 0)
            return new CompletionTime(0, null, null, null, Histogram(times), null);
        return new CompletionTime(n, Percentile(times, n, 0.5), Percentile(times, n, 0.95), (double)times[^1].Days, Histogram(times),
            ResponseClock.Shown((double)(times.Sum(t => t.Seconds) / 86400m / n)));
    }

    /// <summary>PostgreSQL's percentile_cont over the values, each repeated its count: interpolated between neighbouring ranks.</summary>
    static double Percentile(List<CompletionTimes> times, long n, double fraction)
    {
        var position = fraction * (n - 1);
        var below = (long)Math.Floor(position);
        var lower = ValueAt(times, below);
        var upper = ValueAt(times, Math.Min(n - 1, below + 1));
        return ResponseClock.Shown(lower + (position - below) * (upper - lower));
    }

    static double ValueAt(List<CompletionTimes> times, long rank)
    {
        foreach (var t in times)
        {
            if (rank < t.Count)
                return (double)t.Days;
            rank -= t.Count;
        }
        throw new ArgumentOutOfRangeException(nameof(rank));
    }

    static List<HistogramBucket> Histogram(List<CompletionTimes> times) => BucketEdges.Select((from, i) =>
    {
        double? to = i + 1 < BucketEdges.Length ? BucketEdges[i + 1] : null;
        return new HistogramBucket(from, to, times.Where(t => (double)t.Days >= from && (to is null || (double)t.Days < to)).Sum(t => t.Count));
    }).ToList();

    static async Task<T> RowAsync<T>(DbDataReader reader, Func<DbDataReader, T> read, CancellationToken ct)
    {
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return read(reader);
    }
}
