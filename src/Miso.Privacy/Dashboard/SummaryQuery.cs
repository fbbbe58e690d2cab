using System.Globalization;
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

    // Figures over time read only their window; the rest read all their rows (a handful each).
    const string Windows = """
        metric IN ('requests', 'extended_by_status', 'work_items', 'suppressed', 'sweeps')
         OR metric = 'completed' AND period >= @week AND period <= @now
         OR metric IN ('completion_time', 'extended') AND period >= @month AND period <= @now
        """;

    const string Columns = "metric, period, dim1, dim2, dim3, count, late, seconds, latest";

    /// <summary>
    /// One statement, so one snapshot (open requests from the counters and those not yet due from the index describe the
    /// same moment) in one round trip without a transaction. The totals come by index range per metric, the pending deltas
    /// in one pass; each figure is one tagged row (or a few): kind, three keys, three numbers, a time. Completion times
    /// come as their counter rows and are added up here: PostgreSQL's numeric aggregation over a few thousand groups
    /// was most of the computation's time (8 of 13 ms at 1M requests), fetching the rows is a fraction of it.
    /// </summary>
    static readonly string Sql = $"""
        WITH c AS MATERIALIZED (
               SELECT {Columns} FROM privacy.summary_counters WHERE metric IN ('requests', 'extended_by_status', 'work_items', 'suppressed', 'sweeps')
               UNION ALL
               SELECT {Columns} FROM privacy.summary_counters WHERE metric = 'completed' AND period >= @week AND period <= @now
               UNION ALL
               SELECT {Columns} FROM privacy.summary_counters WHERE metric = 'completion_time' AND period >= @month AND period <= @now
               UNION ALL
               SELECT {Columns} FROM privacy.summary_counters WHERE metric = 'extended' AND period >= @month AND period <= @now
               UNION ALL
               SELECT {Columns} FROM privacy.summary_counter_deltas WHERE {Windows})
        SELECT 'requests', dim1, dim2, dim3, sum(count)::bigint, 0::bigint, 0::numeric, NULL::timestamptz
          FROM c WHERE metric = 'requests' GROUP BY 2, 3, 4 HAVING sum(count) <> 0
        UNION ALL
        SELECT 'due', '', '', '', count(*) FILTER (WHERE due_at < @soon), count(*), 0, NULL
          FROM privacy.erasure_requests WHERE status IN {OpenStatuses.Sql} AND due_at >= @now
        UNION ALL
        SELECT 'open_extended', '', '', '', coalesce(sum(count), 0)::bigint, 0, 0, NULL
          FROM c WHERE metric = 'extended_by_status' AND dim1 IN {OpenStatuses.Sql}
        UNION ALL
        SELECT 'completed', '', '', '', coalesce(sum(count) FILTER (WHERE period >= @day), 0)::bigint, coalesce(sum(count), 0)::bigint, 0, NULL
          FROM c WHERE metric = 'completed'
        UNION ALL
        SELECT 'completion_time', dim1, '', '', count, late, seconds, NULL FROM c WHERE metric = 'completion_time'
        UNION ALL
        SELECT 'extended', '', '', '', coalesce(sum(count), 0)::bigint, 0, 0, NULL FROM c WHERE metric = 'extended'
        UNION ALL
        SELECT 'work_items', dim1, '', '', coalesce(sum(count) FILTER (WHERE dim2 IN ('pending', 'in_flight', 'retrying')), 0)::bigint,
               coalesce(sum(count) FILTER (WHERE dim2 = 'failed'), 0)::bigint, row_number() OVER (ORDER BY dim1), max(latest)
          FROM c WHERE metric = 'work_items' GROUP BY dim1 HAVING sum(count) <> 0
        UNION ALL
        SELECT 'suppressed', '', '', '', coalesce(sum(count), 0)::bigint, 0, 0, NULL FROM c WHERE metric = 'suppressed'
        UNION ALL
        SELECT 'failed_deliveries', '', '', '', count(*), 0, 0, NULL FROM privacy.webhook_deliveries d WHERE d.state = 'failed'
           AND NOT EXISTS (SELECT 1 FROM privacy.webhook_deliveries o WHERE o.event_id = d.event_id AND o.target = d.target AND o.state = 'delivered')
        UNION ALL
        SELECT 'retention', '', '', '',
               (SELECT COALESCE(sum(blocked_records), 0)::bigint FROM privacy.blocked_uploads WHERE day > (@now AT TIME ZONE 'UTC')::date - 30),
               (SELECT coalesce(sum(count), 0)::bigint FROM c WHERE metric = 'sweeps' AND dim1 = 'failed'), 0, NULL
        """;

    /// <summary>
    /// Reads counters and pending deltas only; the folds run elsewhere (<see cref="SummaryFolding"/>), so
    /// a computation never writes nor waits on a fold.
    /// </summary>
    public static async Task<DashboardSummary> ComputeAsync(PrivacyDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await ComputeAsync((NpgsqlConnection)db.Database.GetDbConnection(), now, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public static async Task<DashboardSummary> ComputeAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Sql, connection);
        var hour = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("soon", now.AddDays(7));
        command.Parameters.AddWithValue("day", hour.AddHours(-23));
        command.Parameters.AddWithValue("week", hour.AddHours(-167));
        command.Parameters.AddWithValue("month", new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-29));
        // Prepared once per physical connection (Npgsql keeps it across pool checkouts): no planning per poll.
        await command.PrepareAsync(ct);

        var status = new Dictionary<string, long>();
        var regulation = new Dictionary<string, long>();
        var type = new Dictionary<string, long>();
        var byDays = new Dictionary<decimal, (long Count, long Late, decimal Seconds)>();
        var environments = new List<(decimal Rank, EnvironmentStatus Status)>();
        long dueSoon = 0, notYetDue = 0, openExtended = 0, last24h = 0, last7d = 0, extendedLast30d = 0, failedItems = 0,
            suppressed = 0, failedDeliveries = 0, blocked = 0, failedSweeps = 0;
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                var (k1, n1, n2) = (reader.GetString(1), reader.GetInt64(4), reader.GetInt64(5));
                switch (reader.GetString(0))
                {
                    case "requests":
                        status[k1] = status.GetValueOrDefault(k1) + n1;
                        regulation[reader.GetString(2)] = regulation.GetValueOrDefault(reader.GetString(2)) + n1;
                        type[reader.GetString(3)] = type.GetValueOrDefault(reader.GetString(3)) + n1;
                        break;
                    case "due": (dueSoon, notYetDue) = (n1, n2); break;
                    case "open_extended": openExtended = n1; break;
                    case "completed": (last24h, last7d) = (n1, n2); break;
                    case "completion_time":
                        var days = decimal.Parse(k1, CultureInfo.InvariantCulture);
                        var sum = byDays.GetValueOrDefault(days);
                        byDays[days] = (sum.Count + n1, sum.Late + n2, sum.Seconds + reader.GetDecimal(6));
                        break;
                    case "extended": extendedLast30d = n1; break;
                    case "work_items":
                        environments.Add((reader.GetDecimal(6),
                            new EnvironmentStatus(k1, reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7), n1)));
                        failedItems += n2;
                        break;
                    case "suppressed": suppressed = n1; break;
                    case "failed_deliveries": failedDeliveries = n1; break;
                    case "retention": (blocked, failedSweeps) = (n1, n2); break;
                }
            }
        // As the grouped query had them: times with a non-zero count in ascending order, environments in the database's
        // order of their names (ranked there, since the rows of a UNION ALL come in no promised order).
        var times = byDays.Where(t => t.Value.Count != 0).OrderBy(t => t.Key)
            .Select(t => new CompletionTimes(t.Key, t.Value.Count, t.Value.Late, t.Value.Seconds)).ToList();

        long S(string key) => status.GetValueOrDefault(key);
        long R(Regulation key) => regulation.GetValueOrDefault(SnakeCaseEnumConverter<Regulation>.ToText(key));
        long T(RequestType key) => type.GetValueOrDefault(SnakeCaseEnumConverter<RequestType>.ToText(key));
        var open = OpenStatuses.All.Sum(s => S(SnakeCaseEnumConverter<RequestStatus>.ToText(s)));
        var completed = times.Sum(t => t.Count);
        return new DashboardSummary(now,
            new StatusCounts(S("pending"), S("in_progress"), S("completed"), S("failed"), S("cancelled")),
            new RegulationCounts(R(Regulation.Gdpr), R(Regulation.UkGdpr), R(Regulation.Ccpa), R(Regulation.Other)),
            open, open - notYetDue, dueSoon, new CompletedCounts(last24h, last7d, completed, times.Sum(t => t.Late)),
            CompletionTimeOf(times), failedItems, suppressed, [.. environments.OrderBy(e => e.Rank).Select(e => e.Status)],
            new TypeCounts(T(RequestType.Erase), T(RequestType.Suppress), T(RequestType.Delete)),
            new ExtendedCounts(openExtended, extendedLast30d))
        {
            FailedWebhookDeliveries = failedDeliveries, Retention = new RetentionCounts(blocked, failedSweeps),
        };
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
}
