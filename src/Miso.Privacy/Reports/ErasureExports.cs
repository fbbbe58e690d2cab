using System.Buffers;
using System.Globalization;
using System.Text.Json;
using CsvHelper;

namespace Miso.Privacy.Reports;

/// <summary>
/// The csv and json shapes of the erasure report; both stream, flushing every few hundred rows. Every cell is
/// bounded (free text by its column's limit, subjects as counts and one digest), so a spreadsheet opens it.
/// </summary>
public static class ErasureExports
{
    const int FlushEvery = 500;

    /// <summary>Cells an auditor opens in a spreadsheet must not run as formulas (requested_by and ticket are free text).</summary>
    public static readonly CsvWriterOptions CsvOptions = new() { Injection = CsvInjection.Escape };

    static readonly string[] Columns =
    [
        "id", "number", "regulation", "status", "requested_by", "ticket", "received_at", "submitted_at", "due_at",
        "completed_at", "cancelled_at", "days_taken", "within_deadline", "subjects", "environments", "miso_calls",
        "type", "original_due_at", "extended_at", "extension_reason", "notified_at", "user_ids", "anonymous_ids", "subjects_digest",
        "sweeps_scheduled", "sweeps_done", "sweeps_failed", "shredded_at", "blocked_records", "last_blocked_at",
    ];

    public static async Task<long> CsvAsync(ReportContext context, Stream body, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(body, CsvOptions, leaveOpen: true);
        csv.WriteHeader(Columns);
        long rows = 0;
        await foreach (var r in ErasureRow.ReadAsync(context, ct))
        {
            rows++;
            await csv.WriteRecordAsync(
            [
                r.Id.ToString("D"), r.Number.ToString(CultureInfo.InvariantCulture), r.Regulation, r.Status, r.RequestedBy, r.Ticket ?? "",
                ReportFormat.Time(r.ReceivedAt), ReportFormat.Time(r.SubmittedAt), ReportFormat.Time(r.DueAt),
                ReportFormat.Time(r.CompletedAt) ?? "", ReportFormat.Time(r.CancelledAt) ?? "",
                r.DaysTaken?.ToString("0.##", CultureInfo.InvariantCulture) ?? "", r.WithinDeadline(context.GeneratedAt),
                r.Subjects.ToString(CultureInfo.InvariantCulture), string.Join(' ', r.Environments),
                r.MisoCalls.ToString(CultureInfo.InvariantCulture),
                r.Type, ReportFormat.Time(r.OriginalDueAt) ?? "", ReportFormat.Time(r.ExtendedAt) ?? "", r.ExtensionReason ?? "",
                ReportFormat.Time(r.NotifiedAt) ?? "", r.UserIds.ToString(CultureInfo.InvariantCulture),
                r.AnonymousIds.ToString(CultureInfo.InvariantCulture), r.SubjectsDigest,
                r.SweepsScheduled.ToString(CultureInfo.InvariantCulture), r.SweepsDone.ToString(CultureInfo.InvariantCulture),
                r.SweepsFailed.ToString(CultureInfo.InvariantCulture), ReportFormat.Time(r.ShreddedAt) ?? "",
                r.BlockedRecords.ToString(CultureInfo.InvariantCulture), ReportFormat.Time(r.LastBlockedAt) ?? "",
            ], ct);
        }
        await csv.FlushAsync(ct);
        return rows;
    }

    public static async Task<long> JsonAsync(ReportContext context, Stream body, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var json = new Utf8JsonWriter(buffer);
        json.WriteStartArray();
        long rows = 0;
        await foreach (var r in ErasureRow.ReadAsync(context, ct))
        {
            Write(json, r, context.GeneratedAt);
            if (++rows % FlushEvery == 0)
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

    static void Write(Utf8JsonWriter json, ErasureRow r, DateTimeOffset now)
    {
        json.WriteStartObject();
        json.WriteString("id", r.Id);
        json.WriteNumber("number", r.Number);
        json.WriteString("regulation", r.Regulation);
        json.WriteString("status", r.Status);
        json.WriteString("requested_by", r.RequestedBy);
        json.WriteString("ticket", r.Ticket);
        json.WriteString("received_at", ReportFormat.Time(r.ReceivedAt));
        json.WriteString("submitted_at", ReportFormat.Time(r.SubmittedAt));
        json.WriteString("due_at", ReportFormat.Time(r.DueAt));
        json.WriteString("completed_at", ReportFormat.Time(r.CompletedAt));
        json.WriteString("cancelled_at", ReportFormat.Time(r.CancelledAt));
        if (r.DaysTaken is { } days) json.WriteNumber("days_taken", days); else json.WriteNull("days_taken");
        json.WriteString("within_deadline", r.WithinDeadline(now));
        json.WriteNumber("subjects", r.Subjects);
        WriteArray(json, "environments", r.Environments);
        json.WriteNumber("miso_calls", r.MisoCalls);
        json.WriteString("type", r.Type);
        json.WriteString("original_due_at", ReportFormat.Time(r.OriginalDueAt));
        json.WriteString("extended_at", ReportFormat.Time(r.ExtendedAt));
        json.WriteString("extension_reason", r.ExtensionReason);
        json.WriteString("notified_at", ReportFormat.Time(r.NotifiedAt));
        json.WriteNumber("user_ids", r.UserIds);
        json.WriteNumber("anonymous_ids", r.AnonymousIds);
        json.WriteString("subjects_digest", r.SubjectsDigest);
        json.WriteNumber("sweeps_scheduled", r.SweepsScheduled);
        json.WriteNumber("sweeps_done", r.SweepsDone);
        json.WriteNumber("sweeps_failed", r.SweepsFailed);
        json.WriteString("shredded_at", ReportFormat.Time(r.ShreddedAt));
        json.WriteNumber("blocked_records", r.BlockedRecords);
        json.WriteString("last_blocked_at", ReportFormat.Time(r.LastBlockedAt));
        json.WriteEndObject();
    }

    static void WriteArray(Utf8JsonWriter json, string name, string[] values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
            json.WriteStringValue(value);
        json.WriteEndArray();
    }
}
