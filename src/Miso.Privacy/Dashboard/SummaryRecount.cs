using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure.Database;
using Npgsql;

namespace Miso.Privacy.Dashboard;

/// <summary>
/// The summary in one round trip of set-based queries. Open-request figures ride the (status, due_at)
/// index; the rest scan what they must (see bench/summary for the cost at a million requests).
/// </summary>
public static class SummaryRecount
{
    static readonly double[] BucketEdges = SummaryQuery.BucketEdges;

    static readonly string Sql = $"""
        SELECT status, regulation, type, count(*) FROM privacy.erasure_requests GROUP BY status, regulation, type;
        SELECT count(*) FILTER (WHERE due_at < @now), count(*) FILTER (WHERE due_at >= @now AND due_at < @soon),
               count(*) FILTER (WHERE extended_at IS NOT NULL)
          FROM privacy.erasure_requests WHERE status IN {OpenStatuses.Sql};
        SELECT count(*) FILTER (WHERE completed_at >= @now - interval '24 hours'),
               count(*) FILTER (WHERE completed_at >= @now - interval '168 hours'),
               count(*),
               count(*) FILTER (WHERE late),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY days),
               percentile_cont(0.95) WITHIN GROUP (ORDER BY days),
               max(days), avg(days){BucketColumns()}
          FROM (SELECT r.completed_at, {ResponseClock.DaysSql("r")} AS days, {ResponseClock.LateSql("r")} AS late
                  FROM privacy.erasure_requests r WHERE r.completed_at >= @now - interval '720 hours' AND r.completed_at <= @now) c;
        SELECT count(*) FROM privacy.erasure_requests WHERE extended_at >= @now - interval '720 hours' AND extended_at <= @now;
        SELECT count(*) FROM privacy.work_items WHERE state = 'failed';
        SELECT count(DISTINCT hash) FROM privacy.suppressions WHERE lifted_at IS NULL;
        SELECT environment, max(deleted_at), count(*) FILTER (WHERE state IN ('pending', 'in_flight', 'retrying'))
          FROM privacy.work_items GROUP BY environment ORDER BY environment;
        SELECT count(*) FROM privacy.webhook_deliveries d WHERE d.state = 'failed'
           AND NOT EXISTS (SELECT 1 FROM privacy.webhook_deliveries o WHERE o.event_id = d.event_id AND o.target = d.target AND o.state = 'delivered');
        SELECT (SELECT COALESCE(sum(blocked_records), 0)::bigint FROM privacy.blocked_uploads
                 WHERE day > (@now AT TIME ZONE 'UTC')::date - 30),
               (SELECT count(*) FROM privacy.request_sweeps WHERE outcome = 'failed');
        """;

    public static async Task<DashboardSummary> ComputeAsync(PrivacyDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(Sql, connection);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("soon", now.AddDays(7));
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
            var (overdue, dueSoon, openExtended) = await RowAsync(reader, r => (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)), ct);
            var (completed, completion) = await RowAsync(reader, r => (
                new CompletedCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)),
                new CompletionTime(r.GetInt64(2), Days(r, 4), Days(r, 5), Days(r, 6), Histogram(r, 8), Days(r, 7))), ct);
            var extendedLast30d = await RowAsync(reader, r => r.GetInt64(0), ct);
            var failedItems = await RowAsync(reader, r => r.GetInt64(0), ct);
            var suppressed = await RowAsync(reader, r => r.GetInt64(0), ct);
            await reader.NextResultAsync(ct);
            var environments = new List<EnvironmentStatus>();
            while (await reader.ReadAsync(ct))
                environments.Add(new EnvironmentStatus(reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2)));
            var failedDeliveries = await RowAsync(reader, r => r.GetInt64(0), ct);
            var retention = await RowAsync(reader, r => new RetentionCounts(r.GetInt64(0), r.GetInt64(1)), ct);

            long S(string key) => status.GetValueOrDefault(key);
            long R(Regulation key) => regulation.GetValueOrDefault(SnakeCaseEnumConverter<Regulation>.ToText(key));
            long T(RequestType key) => type.GetValueOrDefault(SnakeCaseEnumConverter<RequestType>.ToText(key));
            return new DashboardSummary(now,
                new StatusCounts(S("pending"), S("in_progress"), S("completed"), S("failed"), S("cancelled")),
                new RegulationCounts(R(Regulation.Gdpr), R(Regulation.UkGdpr), R(Regulation.Ccpa), R(Regulation.Other)),
                OpenStatuses.All.Sum(s => S(SnakeCaseEnumConverter<RequestStatus>.ToText(s))), overdue, dueSoon, completed, completion, failedItems, suppressed, environments,
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

    static async Task<T> RowAsync<T>(DbDataReader reader, Func<DbDataReader, T> read, CancellationToken ct)
    {
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return read(reader);
    }

    static double? Days(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ResponseClock.Shown(reader.GetDouble(ordinal));

    static double? UpperEdge(int i) => i + 1 < BucketEdges.Length ? BucketEdges[i + 1] : null;

    static string BucketColumns() => string.Concat(BucketEdges.Select((from, i) => UpperEdge(i) is { } to
        ? FormattableString.Invariant($", count(*) FILTER (WHERE days >= {from} AND days < {to})")
        : FormattableString.Invariant($", count(*) FILTER (WHERE days >= {from})")));

    static List<HistogramBucket> Histogram(DbDataReader reader, int first) =>
        BucketEdges.Select((from, i) => new HistogramBucket(from, UpperEdge(i), reader.GetInt64(first + i))).ToList();
}
