using System.Runtime.CompilerServices;
using Npgsql;

namespace Miso.Privacy.Reports;

/// <summary>
/// One request in an erasure report. Subjects appear only as keyed hashes, sorted bytewise as in the request's
/// subjects_digest. Environments: those the request covers, in Miso and in its suppressions; for a request filed
/// before they were recorded, those its Miso work ran in, as these reports always said.
/// </summary>
public sealed record ErasureRow(
    Guid Id, long Number, string Regulation, string Status, string RequestedBy, string? Ticket,
    DateTimeOffset ReceivedAt, DateTimeOffset SubmittedAt, DateTimeOffset DueAt, DateTimeOffset? CompletedAt, DateTimeOffset? CancelledAt,
    int Subjects, int MisoCalls, string[] SubjectHashes, string[] Environments)
{
    const string Sql = """
        SELECT r.id, r.number, r.regulation, r.status, r.requested_by, r.ticket, r.received_at, r.submitted_at, r.due_at,
               r.completed_at, r.cancelled_at, r.user_id_count + r.anonymous_id_count, r.miso_calls,
               ARRAY(SELECT encode(s.hash, 'hex') FROM privacy.request_subjects s WHERE s.request_id = r.id ORDER BY s.hash),
               COALESCE(r.environments, ARRAY(SELECT DISTINCT w.environment FROM privacy.work_items w WHERE w.request_id = r.id ORDER BY 1))
          FROM privacy.erasure_requests r
         WHERE r.received_at >= @from AND r.received_at < @to
         ORDER BY r.received_at, r.number
        """;

    /// <summary>The legal clock runs from submission, so days taken does too.</summary>
    public double? DaysTaken => CompletedAt is { } done ? Math.Round((done - SubmittedAt).TotalDays, 2) : null;

    /// <summary>yes or no once decided; an open request past its due date is already a no; cancelled is n/a.</summary>
    public string WithinDeadline(DateTimeOffset now) => Status switch
    {
        "completed" => CompletedAt <= DueAt ? "yes" : "no",
        "cancelled" => "n/a",
        _ => DueAt < now ? "no" : "open",
    };

    public static async IAsyncEnumerable<ErasureRow> ReadAsync(ReportContext context, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Sql, context.Connection, context.Transaction);
        command.Parameters.AddWithValue("from", context.From ?? DateTimeOffset.UnixEpoch);
        command.Parameters.AddWithValue("to", context.To);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return new ErasureRow(
                reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                reader.GetInt32(11), reader.GetInt32(12), reader.GetFieldValue<string[]>(13), reader.GetFieldValue<string[]>(14));
    }
}
