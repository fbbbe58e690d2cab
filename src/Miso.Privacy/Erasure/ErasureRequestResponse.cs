using System.Text.Json;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Subjects;

namespace Miso.Privacy.Erasure;

public sealed record RequestCounts(int Subjects, int UserIds, int AnonymousIds);

public sealed record SubjectResponse(SubjectKind Kind, string? Value, string Hash, SubjectStatus Status);

public sealed record TimelineEvent(long Seq, DateTimeOffset OccurredAt, string Actor, string Action, string? SubjectHash, JsonElement Details);

/// <summary>
/// One environment the request covers, with its Miso work: items (user id × operation) by state, and the last error
/// seen. All zero for a request that has no Miso work there (yet, or ever: anonymous ids only).
/// </summary>
public sealed record EnvironmentProgress(string Environment, int Pending, int InFlight, int Retrying, int Deleted, int Failed,
    int Cancelled, string? LastError)
{
    public static EnvironmentProgress None(string environment) => new(environment, 0, 0, 0, 0, 0, 0, null);
}

/// <summary><see cref="Environments"/>: the Miso environments the request covers, in Miso and in uploads.</summary>
public sealed record ErasureRequestSummary(
    Guid Id, RequestStatus Status, Regulation Regulation, string RequestedBy, string? Ticket,
    DateTimeOffset ReceivedAt, DateTimeOffset SubmittedAt, DateTimeOffset DueAt,
    DateTimeOffset? CompletedAt, DateTimeOffset? CancelledAt, bool Overdue, RequestCounts Counts, IReadOnlyList<string> Environments)
{
    public RequestType Type { get; init; }

    /// <summary>The due date before the extension (due_at is then the extended one); null if never extended.</summary>
    public DateTimeOffset? OriginalDueAt { get; init; }
    public DateTimeOffset? ExtendedAt { get; init; }
    public string? ExtensionReason { get; init; }
    public DateTimeOffset? NotifiedAt { get; init; }

    /// <summary>Once completed, by <see cref="ResponseClock"/>: days from submission to completion, and whether after due_at.</summary>
    public double? CompletionDays { get; init; }
    public bool? Late { get; init; }
}

/// <summary>
/// One sweep of a completed request: a scheduled round (1, 2, …) or an operator's restore replay (round 0, with its id).
/// <see cref="State"/>: <c>scheduled</c> before it is due, <c>running</c> until every call has an outcome, then
/// <c>deleted</c> or <c>failed</c> (any call failed for good; the failure is in the request's timeline).
/// </summary>
public sealed record SweepProgress(int Round, Guid? ReplayId, DateTimeOffset DueAt, DateTimeOffset? SweptAt, string State,
    int Pending, int Deleted, int Failed);

/// <summary><see cref="Environments"/>: one entry per Miso environment the request covers, with its progress there.</summary>
public sealed record ErasureRequestResponse(
    Guid Id, RequestStatus Status, Regulation Regulation, string RequestedBy, string? Reason, string? Ticket,
    DateTimeOffset ReceivedAt, DateTimeOffset SubmittedAt, DateTimeOffset DueAt,
    DateTimeOffset? CompletedAt, DateTimeOffset? CancelledAt, string? CancelReason, bool Overdue,
    RequestCounts Counts, int MisoCalls, IReadOnlyList<SubjectResponse> Subjects, IReadOnlyList<TimelineEvent> Timeline)
{
    public IReadOnlyList<EnvironmentProgress> Environments { get; init; } = [];
    public RequestType Type { get; init; }

    /// <summary>The sweep schedule and what each sweep did; empty before completion, and for a request with nothing to sweep.</summary>
    public IReadOnlyList<SweepProgress> Sweeps { get; init; } = [];

    /// <summary>When the request's identifiers became unreadable for good (its data key destroyed); null while sweeps remain.</summary>
    public DateTimeOffset? ShreddedAt { get; init; }

    /// <summary>
    /// Uploaded records the service dropped because they named one of the request's subjects, after it was filed
    /// (written every few seconds; which subject is never said), and when the last one was.
    /// </summary>
    public long BlockedRecords { get; init; }
    public DateTimeOffset? LastBlockedAt { get; init; }

    /// <summary>The due date before the extension (due_at is then the extended one); null if never extended.</summary>
    public DateTimeOffset? OriginalDueAt { get; init; }
    public DateTimeOffset? ExtendedAt { get; init; }
    public string? ExtensionReason { get; init; }
    public DateTimeOffset? NotifiedAt { get; init; }

    /// <summary>Once completed, by <see cref="ResponseClock"/>: days from submission to completion, and whether after due_at.</summary>
    public double? CompletionDays { get; init; }
    public bool? Late { get; init; }
}

public static class ErasureRequestMapping
{
    public static ErasureRequestSummary ToSummary(this ErasureRequest r, DateTimeOffset now, EnvironmentNames names) =>
        new(r.Id, r.Status, r.Regulation, r.RequestedBy, r.Ticket, r.ReceivedAt, r.SubmittedAt, r.DueAt,
            r.CompletedAt, r.CancelledAt, r.IsOverdue(now), r.Counts(), names.Resolve(r.Environments))
        {
            Type = r.Type, OriginalDueAt = r.OriginalDueAt, ExtendedAt = r.ExtendedAt, ExtensionReason = r.ExtensionReason,
            NotifiedAt = r.NotifiedAt, CompletionDays = r.CompletionDays(), Late = r.Late(),
        };

    /// <summary>
    /// Raw ids are shown only while the request is open (they are purged on completion and on cancel anyway). Progress
    /// starts at zero in every environment the request covers; <see cref="GetErasureRequest"/> fills in the work.
    /// </summary>
    public static ErasureRequestResponse ToResponse(this ErasureRequest r, IEnumerable<AuditEvent> timeline, DateTimeOffset now,
        EnvironmentNames names) =>
        new(r.Id, r.Status, r.Regulation, r.RequestedBy, r.Reason, r.Ticket, r.ReceivedAt, r.SubmittedAt, r.DueAt,
            r.CompletedAt, r.CancelledAt, r.CancelReason, r.IsOverdue(now), r.Counts(), r.MisoCalls,
            r.Subjects.OrderBy(s => s.Id)
                .Select(s => new SubjectResponse(s.Kind, r.Status is RequestStatus.Completed or RequestStatus.Cancelled ? null : s.Value,
                    SubjectHasher.ToHex(s.Hash), s.Status))
                .ToList(),
            timeline.Select(ToTimelineEvent).ToList())
        {
            Type = r.Type, OriginalDueAt = r.OriginalDueAt, ExtendedAt = r.ExtendedAt, ExtensionReason = r.ExtensionReason,
            NotifiedAt = r.NotifiedAt, CompletionDays = r.CompletionDays(), Late = r.Late(), ShreddedAt = r.ShreddedAt,
            Environments = names.Resolve(r.Environments).Select(EnvironmentProgress.None).ToList(),
        };

    static double? CompletionDays(this ErasureRequest r) =>
        r.CompletedAt is { } done ? ResponseClock.Shown(ResponseClock.Days(r.SubmittedAt, done)) : null;

    static bool? Late(this ErasureRequest r) => r.CompletedAt is { } done ? ResponseClock.IsLate(done, r.DueAt) : null;

    public static TimelineEvent ToTimelineEvent(this AuditEvent e) =>
        new(e.Seq, e.OccurredAt, e.Actor, e.Action, e.SubjectHash is null ? null : SubjectHasher.ToHex(e.SubjectHash),
            JsonElement.Parse(e.Details));

    static RequestCounts Counts(this ErasureRequest r) => new(r.UserIdCount + r.AnonymousIdCount, r.UserIdCount, r.AnonymousIdCount);
}
