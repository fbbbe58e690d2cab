using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Infrastructure.Http;
using Npgsql;

namespace Miso.Privacy.Reports;

/// <summary>
/// The audit log as JSON lines or CSV, every field the chain hashes included, so an auditor can check
/// prev_hash links (and recompute hashes) offline. Times use the chain's own microsecond format.
/// </summary>
public static class AuditEventsExport
{
    static readonly string[] Formats = ["jsonl", "csv"];
    static readonly string[] Columns = ["seq", "occurred_at", "actor", "action", "request_id", "subject_hash", "details", "prev_hash", "hash"];

    sealed record Event(long Seq, DateTimeOffset OccurredAt, string Actor, string Action, Guid? RequestId, byte[]? SubjectHash,
        string Details, byte[] PrevHash, byte[] Hash);

    public static Results<ReportStream, ProblemHttpResult> Handle(HttpRequest http, TimeProvider clock)
    {
        var (query, errors) = ReportQuery.Parse(http.Query, clock.GetUtcNow(), Formats, "request_id");
        Guid? requestId = null;
        if (http.Query.TryGetValue("request_id", out var id))
        {
            if (Guid.TryParse(id.ToString(), out var parsed)) requestId = parsed;
            else errors["request_id"] = ["Must be an erasure request id (a UUID)."];
        }
        if (query is null || errors.Count > 0)
            return Problems.Fields(errors);
        return query.Format == "csv"
            ? new ReportStream(new("audit-events", "csv", "text/csv; charset=utf-8", "csv"), query.From, query.To,
                (context, body, ct) => CsvAsync(Read(context, requestId, ct), body, ct))
            : new ReportStream(new("audit-events", "jsonl", "application/jsonl; charset=utf-8", "jsonl"), query.From, query.To,
                (context, body, ct) => JsonLinesAsync(Read(context, requestId, ct), body, ct));
    }

    static async Task<long> JsonLinesAsync(IAsyncEnumerable<Event> events, Stream body, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var json = new Utf8JsonWriter(buffer);
        long rows = 0;
        await foreach (var e in events)
        {
            json.WriteStartObject();
            json.WriteNumber("seq", e.Seq);
            json.WriteString("occurred_at", ReportFormat.Time(e.OccurredAt));
            json.WriteString("actor", e.Actor);
            json.WriteString("action", e.Action);
            if (e.RequestId is { } r) json.WriteString("request_id", r); else json.WriteNull("request_id");
            if (e.SubjectHash is { } h) json.WriteString("subject_hash", ReportFormat.Hex(h)); else json.WriteNull("subject_hash");
            json.WritePropertyName("details");
            json.WriteRawValue(e.Details);
            json.WriteString("prev_hash", ReportFormat.Hex(e.PrevHash));
            json.WriteString("hash", ReportFormat.Hex(e.Hash));
            json.WriteEndObject();
            json.Flush();
            json.Reset();
            buffer.Write("\n"u8);
            rows++;
            if (buffer.WrittenCount > 48 * 1024)
            {
                await body.WriteAsync(buffer.WrittenMemory, ct);
                buffer.ResetWrittenCount();
            }
        }
        await body.WriteAsync(buffer.WrittenMemory, ct);
        return rows;
    }

    static async Task<long> CsvAsync(IAsyncEnumerable<Event> events, Stream body, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(body, ErasureExports.CsvOptions, leaveOpen: true);
        csv.WriteHeader(Columns);
        long rows = 0;
        await foreach (var e in events)
        {
            rows++;
            var seq = e.Seq.ToString(CultureInfo.InvariantCulture);
            // Details longer than a spreadsheet cell (a Miso call lists every subject hash it carried) continue on
            // rows of their own that repeat the seq and hold only the rest of the details: concatenated, they are the
            // exact text the chain hashes.
            var parts = SpreadsheetCells.Parts(e.Details).ToList();
            await csv.WriteRecordAsync(
            [
                seq, ReportFormat.Time(e.OccurredAt), e.Actor, e.Action,
                e.RequestId?.ToString("D") ?? "", ReportFormat.Hex(e.SubjectHash), parts[0], ReportFormat.Hex(e.PrevHash), ReportFormat.Hex(e.Hash),
            ], ct);
            foreach (var part in parts.Skip(1))
                await csv.WriteRecordAsync([seq, "", "", "", "", "", part, "", ""], ct);
        }
        await csv.FlushAsync(ct);
        return rows;
    }

    static async IAsyncEnumerable<Event> Read(ReportContext context, Guid? requestId, [EnumeratorCancellation] CancellationToken ct)
    {
        var sql = "SELECT seq, occurred_at, actor, action, request_id, subject_hash, details::text, prev_hash, hash"
            + " FROM privacy.audit_events WHERE occurred_at < @to"
            + (context.From is null ? "" : " AND occurred_at >= @from")
            + (requestId is null ? "" : " AND request_id = @request_id")
            + " ORDER BY seq";
        await using var command = new NpgsqlCommand(sql, context.Connection, context.Transaction);
        command.Parameters.AddWithValue("to", context.To);
        if (context.From is { } from) command.Parameters.AddWithValue("from", from);
        if (requestId is { } id) command.Parameters.AddWithValue("request_id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return new Event(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<byte[]>(5),
                reader.GetString(6), reader.GetFieldValue<byte[]>(7), reader.GetFieldValue<byte[]>(8));
    }
}
