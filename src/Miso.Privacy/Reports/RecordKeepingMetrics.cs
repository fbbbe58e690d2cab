using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;
using Npgsql;

namespace Miso.Privacy.Reports;

/// <summary>
/// The metrics a business keeps under Cal. Code Regs. tit. 11 §7102 for a calendar year, per regulation and type:
/// requests received, completed (complied with), cancelled (denied), failed, still open; and the median and mean
/// days to respond, by the one clock (<see cref="ResponseClock"/>). A request belongs to the year in which the
/// person asked (<c>submitted_at</c>, where the legal clock starts), counted in <c>Compliance:TimeZone</c>; its
/// figures are as of the export, so a request still open then is counted open.
/// </summary>
public static class RecordKeepingMetrics
{
    static readonly string[] Formats = ["json", "csv"];
    static readonly string[] Columns =
        ["year", "regulation", "type", "received", "completed", "completed_late", "cancelled", "failed", "open", "extended", "median_days", "mean_days"];

    static readonly string Sql = $"""
        SELECT regulation, type, count(*),
               count(*) FILTER (WHERE status = 'completed'),
               count(*) FILTER (WHERE status = 'completed' AND late),
               count(*) FILTER (WHERE status = 'cancelled'),
               count(*) FILTER (WHERE status = 'failed'),
               count(*) FILTER (WHERE status IN {OpenStatuses.Sql} AND status <> 'failed'),
               count(*) FILTER (WHERE extended_at IS NOT NULL),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE status = 'completed'),
               avg(days) FILTER (WHERE status = 'completed')
          FROM (SELECT r.regulation, r.type, r.status, r.extended_at, {ResponseClock.DaysSql("r")} AS days, {ResponseClock.LateSql("r")} AS late
                  FROM privacy.erasure_requests r WHERE r.submitted_at >= @from AND r.submitted_at < @to) y
         GROUP BY regulation, type
        """;

    public sealed record Row(int Year, Regulation Regulation, RequestType Type, long Received, long Completed, long CompletedLate,
        long Cancelled, long Failed, long Open, long Extended, double? MedianDays, double? MeanDays);

    public static Results<ReportStream, ProblemHttpResult> Handle(HttpRequest http, TimeProvider clock, Deadlines deadlines)
    {
        var now = clock.GetUtcNow();
        var errors = QueryRules.Check(http.Query, ["year", "format"]);
        var thisYear = deadlines.DayOf(now).Year;
        var year = QueryRules.WholeNumber(http.Query, "year", 2000, thisYear, errors) ?? thisYear - 1;
        var format = QueryRules.Text(http.Query, "format") ?? Formats[0];
        if (!Formats.Contains(format))
            errors["format"] = [$"Must be one of {string.Join(", ", Formats)}."];
        if (errors.Count > 0)
            return Problems.Fields(errors);

        var (from, to) = (deadlines.StartOf(new DateOnly(year, 1, 1)), deadlines.StartOf(new DateOnly(year + 1, 1, 1)));
        return format == "csv"
            ? new ReportStream(new("metrics", "csv", "text/csv; charset=utf-8", "csv"), from, to,
                (context, body, ct) => CsvAsync(context, year, body, ct))
            : new ReportStream(new("metrics", "json", "application/json; charset=utf-8", "json"), from, to,
                (context, body, ct) => JsonAsync(context, year, deadlines.Zone.Id, body, ct));
    }

    /// <summary>Every regulation and type, zeros included, so a year's filing always has the same rows.</summary>
    public static async Task<List<Row>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, int year,
        DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Sql, connection, transaction);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var found = new Dictionary<(Regulation, RequestType), Row>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var key = (SnakeCaseEnumConverter<Regulation>.FromText(reader.GetString(0)), SnakeCaseEnumConverter<RequestType>.FromText(reader.GetString(1)));
                found[key] = new Row(year, key.Item1, key.Item2, reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                    reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), Days(reader, 9), Days(reader, 10));
            }
        }
        return Enum.GetValues<Regulation>().SelectMany(_ => Enum.GetValues<RequestType>(), (r, t) =>
            found.GetValueOrDefault((r, t)) ?? new Row(year, r, t, 0, 0, 0, 0, 0, 0, 0, null, null)).ToList();
    }

    static double? Days(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ResponseClock.Shown(reader.GetDouble(ordinal));

    static async Task<long> CsvAsync(ReportContext context, int year, Stream body, CancellationToken ct)
    {
        var rows = await ReadAsync(context.Connection, context.Transaction, year, context.From!.Value, context.To, ct);
        await using var csv = CsvWriter.Create(body, ErasureExports.CsvOptions, leaveOpen: true);
        csv.WriteHeader(Columns);
        foreach (var r in rows)
            await csv.WriteRecordAsync(
            [
                N(r.Year), SnakeCaseEnumConverter<Regulation>.ToText(r.Regulation), SnakeCaseEnumConverter<RequestType>.ToText(r.Type),
                N(r.Received), N(r.Completed), N(r.CompletedLate), N(r.Cancelled), N(r.Failed), N(r.Open), N(r.Extended),
                r.MedianDays?.ToString("0.##", CultureInfo.InvariantCulture) ?? "", r.MeanDays?.ToString("0.##", CultureInfo.InvariantCulture) ?? "",
            ], ct);
        await csv.FlushAsync(ct);
        return rows.Count;
    }

    static async Task<long> JsonAsync(ReportContext context, int year, string timeZone, Stream body, CancellationToken ct)
    {
        var rows = await ReadAsync(context.Connection, context.Transaction, year, context.From!.Value, context.To, ct);
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WriteNumber("year", year);
        json.WriteString("counted_by", "submitted_at");
        json.WriteString("time_zone", timeZone);
        json.WriteString("period_from", ReportFormat.Time(context.From!.Value));
        json.WriteString("period_to", ReportFormat.Time(context.To));
        json.WriteString("generated_at", ReportFormat.Time(context.GeneratedAt));
        json.WriteStartArray("rows");
        foreach (var r in rows)
        {
            json.WriteStartObject();
            json.WriteString("regulation", SnakeCaseEnumConverter<Regulation>.ToText(r.Regulation));
            json.WriteString("type", SnakeCaseEnumConverter<RequestType>.ToText(r.Type));
            json.WriteNumber("received", r.Received);
            json.WriteNumber("completed", r.Completed);
            json.WriteNumber("completed_late", r.CompletedLate);
            json.WriteNumber("cancelled", r.Cancelled);
            json.WriteNumber("failed", r.Failed);
            json.WriteNumber("open", r.Open);
            json.WriteNumber("extended", r.Extended);
            if (r.MedianDays is { } median) json.WriteNumber("median_days", median); else json.WriteNull("median_days");
            if (r.MeanDays is { } mean) json.WriteNumber("mean_days", mean); else json.WriteNull("mean_days");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
        return rows.Count;
    }

    static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
