using System.Runtime.CompilerServices;
using Miso.Privacy.Erasure;
using Npgsql;

namespace Miso.Privacy.Reports;

/// <summary>
/// One request in an erasure report: its clock, its outcome and its counts. The subjects themselves are in the
/// erasure-subjects report; <see cref="SubjectsDigest"/> is SHA-256 over their keyed hashes sorted bytewise, as
/// in the request's request.created audit event, so the two reports can be tied to each other and to the chain.
/// Environments: those the request covers, in Miso and in its suppressions; for a request filed before they were
/// recorded, those its Miso work ran in, as these reports always said.
/// </summary>
public sealed record ErasureRow(
    Guid Id, long Number, string Regulation, string Status, string RequestedBy, string? Ticket,
    DateTimeOffset ReceivedAt, DateTimeOffset SubmittedAt, DateTimeOffset DueAt, DateTimeOffset? CompletedAt, DateTimeOffset? CancelledAt,
    int Subjects, int MisoCalls, string SubjectsDigest, string[] Environments)
{
    public required string Type { get; init; }
    public int UserIds { get; init; }
    public int AnonymousIds { get; init; }
    public DateTimeOffset? OriginalDueAt { get; init; }
    public DateTimeOffset? ExtendedAt { get; init; }
    public string? ExtensionReason { get; init; }
    public DateTimeOffset? NotifiedAt { get; init; }

    /// <summary>Its sweeps: scheduled (replays not counted), done (replays included), failed; then when its ids were shredded.</summary>
    public int SweepsScheduled { get; init; }
    public int SweepsDone { get; init; }
    public int SweepsFailed { get; init; }
    public DateTimeOffset? ShreddedAt { get; init; }

    /// <summary>Uploaded records its subjects had dropped after it was filed, and the last time one was.</summary>
    public long BlockedRecords { get; init; }
    public DateTimeOffset? LastBlockedAt { get; init; }

    const string Sql = """
        SELECT r.id, r.number, r.regulation, r.status, r.requested_by, r.ticket, r.received_at, r.submitted_at, r.due_at,
               r.completed_at, r.cancelled_at, r.user_id_count + r.anonymous_id_count, r.miso_calls,
               (SELECT encode(sha256(coalesce(string_agg(s.hash, ''::bytea ORDER BY s.hash), ''::bytea)), 'hex')
                  FROM privacy.request_subjects s WHERE s.request_id = r.id),
               COALESCE(r.environments, ARRAY(SELECT DISTINCT w.environment FROM privacy.work_items w WHERE w.request_id = r.id ORDER BY 1)),
               r.type, r.user_id_count, r.anonymous_id_count, r.original_due_at, r.extended_at, r.extension_reason, r.notified_at,
               (SELECT count(*)::int FROM privacy.request_sweeps rs WHERE rs.request_id = r.id AND rs.replay_id IS NULL),
               (SELECT count(*)::int FROM privacy.request_sweeps rs WHERE rs.request_id = r.id AND rs.swept_at IS NOT NULL),
               (SELECT count(*)::int FROM privacy.request_sweeps rs WHERE rs.request_id = r.id AND rs.outcome = 'failed'),
               r.shredded_at,
               (SELECT COALESCE(sum(b.blocked_records), 0)::bigint FROM privacy.blocked_uploads b WHERE b.request_id = r.id),
               (SELECT max(b.last_blocked_at) FROM privacy.blocked_uploads b WHERE b.request_id = r.id)
          FROM privacy.erasure_requests r
         WHERE r.received_at >= @from AND r.received_at < @to
         ORDER BY r.received_at, r.number
        """;

    /// <summary>Submission to completion, by the one clock.</summary>
    public double? DaysTaken => CompletedAt is { } done ? ResponseClock.Shown(ResponseClock.Days(SubmittedAt, done)) : null;

    /// <summary>yes or no once decided, against the (extended) due date; an open request past it is already a no; cancelled is n/a.</summary>
    public string WithinDeadline(DateTimeOffset now) => Status switch
    {
        "completed" => ResponseClock.IsLate(CompletedAt!.Value, DueAt) ? "no" : "yes",
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
                Time(reader, 9), Time(reader, 10),
                reader.GetInt32(11), reader.GetInt32(12), reader.GetString(13), reader.GetFieldValue<string[]>(14))
            {
                Type = reader.GetString(15), UserIds = reader.GetInt32(16), AnonymousIds = reader.GetInt32(17),
                OriginalDueAt = Time(reader, 18), ExtendedAt = Time(reader, 19),
                ExtensionReason = reader.IsDBNull(20) ? null : reader.GetString(20), NotifiedAt = Time(reader, 21),
                SweepsScheduled = reader.GetInt32(22), SweepsDone = reader.GetInt32(23), SweepsFailed = reader.GetInt32(24),
                ShreddedAt = Time(reader, 25), BlockedRecords = reader.GetInt64(26), LastBlockedAt = Time(reader, 27),
            };
    }

    static DateTimeOffset? Time(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
