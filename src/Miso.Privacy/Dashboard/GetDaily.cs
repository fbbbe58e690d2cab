using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;
using Npgsql;

namespace Miso.Privacy.Dashboard;

/// <summary>Received and completed that day; of those completed, how many after their (extended) due date.</summary>
public sealed record DailyCount(DateOnly Date, long Received, long Completed, long CompletedLate);

public sealed record DailySeries(DateTimeOffset AsOf, int Days, IReadOnlyList<DailyCount> Series);

/// <summary>Requests received and completed per UTC day, oldest first, today included; days without any are zeros.</summary>
public static class GetDaily
{
    static readonly string Sql = $"""
        WITH received AS (
               SELECT (received_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM privacy.erasure_requests
                WHERE received_at >= @from GROUP BY 1),
             completed AS (
               SELECT (r.completed_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n, count(*) FILTER (WHERE {ResponseClock.LateSql("r")}) AS late
                 FROM privacy.erasure_requests r
                WHERE r.completed_at >= @from GROUP BY 1)
        SELECT d::date, coalesce(r.n, 0), coalesce(c.n, 0), coalesce(c.late, 0)
          FROM generate_series(@first::timestamp, @last::timestamp, interval '1 day') AS d
          LEFT JOIN received r ON r.day = d::date
          LEFT JOIN completed c ON c.day = d::date
         ORDER BY 1
        """;

    public static async Task<Results<Ok<DailySeries>, ProblemHttpResult>> Handle(
        HttpRequest http, PrivacyDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = QueryRules.Check(http.Query, ["days"]);
        var days = QueryRules.WholeNumber(http.Query, "days", 1, 366, errors) ?? 30;
        if (errors.Count > 0)
            return Problems.Fields(errors);

        var now = clock.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(Sql, connection);
            command.Parameters.AddWithValue("from", today.AddDays(1 - days));
            command.Parameters.AddWithValue("first", DateOnly.FromDateTime(today.UtcDateTime).AddDays(1 - days));
            command.Parameters.AddWithValue("last", DateOnly.FromDateTime(today.UtcDateTime));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var series = new List<DailyCount>(days);
            while (await reader.ReadAsync(ct))
                series.Add(new DailyCount(DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
            return TypedResults.Ok(new DailySeries(now, days, series));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
