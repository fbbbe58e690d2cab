using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Execution;
using Miso.Privacy.Infrastructure.Http;
using Npgsql;

namespace Miso.Privacy.Reports;

/// <summary>
/// One row per request and subject, for requests received in [from, to): the subject's kind and keyed hash,
/// its status, and per Miso environment when its deletion was confirmed. Confirmed means every operation
/// (the interactions and the user record) is deleted in that environment; the time is the later of the two.
/// Rows come in the erasure report's request order, each request's subjects sorted bytewise by hash, so
/// SHA-256 over one request's hashes reproduces its subjects_digest.
/// </summary>
public static class ErasureSubjectsReport
{
    static readonly string[] Formats = ["csv", "json"];
    static readonly string[] Columns = ["request_id", "kind", "hash", "status", "deleted_in", "not_confirmed_in"];
    static readonly int Operations = Enum.GetValues<MisoOperation>().Length;

    const string Sql = """
        SELECT r.id, s.kind, s.hash, s.status, coalesce(d.environments, '{}'), coalesce(d.confirmed, '{}')
          FROM privacy.erasure_requests r
          JOIN privacy.request_subjects s ON s.request_id = r.id
          LEFT JOIN LATERAL (
               SELECT array_agg(e.environment ORDER BY e.environment) AS environments,
                      array_agg(e.confirmed_at ORDER BY e.environment) AS confirmed
                 FROM (SELECT w.environment,
                              CASE WHEN count(DISTINCT w.operation) = @operations AND bool_and(w.state = 'deleted')
                                   THEN max(w.deleted_at) END AS confirmed_at
                         FROM privacy.work_items w WHERE w.subject_id = s.id GROUP BY w.environment) e) d ON true
         WHERE r.received_at >= @from AND r.received_at < @to
         ORDER BY r.received_at, r.number, s.hash
        """;

    sealed record Row(Guid RequestId, string Kind, byte[] Hash, string Status, string[] Environments, DateTime?[] Confirmed);

    public static Results<ReportStream, ProblemHttpResult> Handle(HttpRequest http, TimeProvider clock)
    {
        var (query, errors) = ReportQuery.Parse(http.Query, clock.GetUtcNow(), Formats);
        if (query is null)
            return Problems.Fields(errors);
        return query.Format == "json"
            ? new ReportStream(new("erasure-subjects", "json", "application/json; charset=utf-8", "json"), query.From, query.To, JsonAsync)
            : new ReportStream(new("erasure-subjects", "csv", "text/csv; charset=utf-8", "csv"), query.From, query.To, CsvAsync);
    }

    static async Task<long> CsvAsync(ReportContext context, Stream body, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(body, ErasureExports.CsvOptions, leaveOpen: true);
        csv.WriteHeader(Columns);
        long rows = 0;
        await foreach (var r in ReadAsync(context, ct))
        {
            rows++;
            var deletions = Deletions(r).ToList();
            await csv.WriteRecordAsync(
            [
                r.RequestId.ToString("D"), r.Kind, ReportFormat.Hex(r.Hash), r.Status,
                string.Join(' ', deletions.Where(d => d.At is not null).Select(d => $"{d.Environment}={ReportFormat.Time(d.At!.Value)}")),
                string.Join(' ', deletions.Where(d => d.At is null).Select(d => d.Environment)),
            ], ct);
        }
        await csv.FlushAsync(ct);
        return rows;
    }

    static async Task<long> JsonAsync(ReportContext context, Stream body, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var json = new Utf8JsonWriter(buffer);
        json.WriteStartArray();
        long rows = 0;
        await foreach (var r in ReadAsync(context, ct))
        {
            json.WriteStartObject();
            json.WriteString("request_id", r.RequestId);
            json.WriteString("kind", r.Kind);
            json.WriteString("hash", ReportFormat.Hex(r.Hash));
            json.WriteString("status", r.Status);
            json.WriteStartArray("deletions");
            foreach (var (environment, at) in Deletions(r))
            {
                json.WriteStartObject();
                json.WriteString("environment", environment);
                json.WriteString("confirmed_at", ReportFormat.Time(at));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            if (++rows % 1000 == 0)
                await DrainAsync(json, buffer, body, ct);
        }
        json.WriteEndArray();
        await DrainAsync(json, buffer, body, ct);
        return rows;
    }

    static async Task DrainAsync(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, Stream body, CancellationToken ct)
    {
        json.Flush();
        await body.WriteAsync(buffer.WrittenMemory, ct);
        buffer.ResetWrittenCount();
    }

    static IEnumerable<(string Environment, DateTimeOffset? At)> Deletions(Row r) =>
        r.Environments.Select((e, i) => (e, r.Confirmed[i] is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : (DateTimeOffset?)null));

    static async IAsyncEnumerable<Row> ReadAsync(ReportContext context, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Sql, context.Connection, context.Transaction);
        command.Parameters.AddWithValue("from", context.From ?? DateTimeOffset.UnixEpoch);
        command.Parameters.AddWithValue("to", context.To);
        command.Parameters.AddWithValue("operations", (long)Operations);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return new Row(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), reader.GetString(3),
                reader.GetFieldValue<string[]>(4), reader.GetFieldValue<DateTime?[]>(5));
    }
}
