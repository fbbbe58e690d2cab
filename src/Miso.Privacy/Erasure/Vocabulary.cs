namespace Miso.Privacy.Erasure;

public enum Regulation { Gdpr, Ccpa, Other }

/// <summary>Lifecycle as in OpenDSR: pending → in_progress → completed, or cancelled (only while pending), or failed.</summary>
public enum RequestStatus { Pending, InProgress, Completed, Failed, Cancelled }

/// <summary>
/// <c>suppressed_only</c>: an anonymous id. Miso's delete takes user ids only, so it is kept out of
/// uploads but creates no Miso work.
/// </summary>
public enum SubjectStatus { Pending, SuppressedOnly, Deleted, Failed, Cancelled }

public static class Deadlines
{
    public static TimeSpan For(Regulation regulation) =>
        regulation == Regulation.Ccpa ? TimeSpan.FromDays(45) : TimeSpan.FromDays(30);

    /// <summary>The legal clock starts when the person asked, not when the request reached us.</summary>
    public static DateTimeOffset DueAt(Regulation regulation, DateTimeOffset submittedAt) => submittedAt + For(regulation);
}
