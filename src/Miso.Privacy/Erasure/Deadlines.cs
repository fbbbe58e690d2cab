namespace Miso.Privacy.Erasure;

/// <summary>
/// The legal clock's deadlines, computed here and nowhere else. A deadline is a calendar day in
/// <c>Compliance:TimeZone</c> and ends with that day. It is never rolled forward to a working day: a
/// regulator counts the days, and earlier is the safe side.
/// </summary>
public sealed class Deadlines(TimeZoneInfo zone, int otherDays, int otherExtensionDays)
{
    /// <summary>Cal. Civ. Code §1798.130(a)(2), and the one further period of Cal. Code Regs. tit. 11 §7021(b).</summary>
    public const int CcpaDays = 45;
    public const int CcpaExtensionDays = 45;

    /// <summary>Cal. Code Regs. tit. 11 §7026(f): an opt-out is honoured within 15 business days.</summary>
    public const int CcpaOptOutBusinessDays = 15;

    /// <summary>GDPR and UK GDPR Art. 12(3): one month, extendable by two further months.</summary>
    public const int GdprMonths = 1;
    public const int GdprExtensionMonths = 2;

    public static readonly Deadlines Default = new(TimeZoneInfo.Utc, 30, 0);

    public static Deadlines From(ComplianceOptions options) =>
        new(ComplianceOptions.ZoneOf(options.TimeZone) ?? throw new InvalidOperationException("Compliance:TimeZone was not validated."),
            options.Deadlines.Other, options.Extensions.Other);

    public TimeZoneInfo Zone => zone;

    /// <summary>
    /// The clock starts on the day the person asked (<c>submitted_at</c>), not when the request reached us.
    /// GDPR months go to the corresponding date, or the month's last day when it has none (31 January → 28 or
    /// 29 February). A <c>suppress</c> request under the CCPA is an opt-out, with its own shorter clock;
    /// weekends are skipped but holidays are not, so that day can only come early.
    /// </summary>
    public DateTimeOffset DueAt(Regulation regulation, RequestType type, DateTimeOffset submittedAt)
    {
        var day = DayOf(submittedAt);
        var due = (regulation, type) switch
        {
            (Regulation.Gdpr or Regulation.UkGdpr, _) => day.AddMonths(GdprMonths),
            (Regulation.Ccpa, RequestType.Suppress) => AddWeekdays(day, CcpaOptOutBusinessDays),
            (Regulation.Ccpa, _) => day.AddDays(CcpaDays),
            _ => day.AddDays(otherDays),
        };
        return EndOf(due);
    }

    /// <summary>The due date after the one extension the regulation allows, counted from the original due date; null when it allows none.</summary>
    public DateTimeOffset? ExtendedDueAt(Regulation regulation, DateTimeOffset originalDueAt)
    {
        var day = DayOf(originalDueAt);
        DateOnly? due = regulation switch
        {
            Regulation.Gdpr or Regulation.UkGdpr => day.AddMonths(GdprExtensionMonths),
            Regulation.Ccpa => day.AddDays(CcpaExtensionDays),
            _ when otherExtensionDays > 0 => day.AddDays(otherExtensionDays),
            _ => null,
        };
        return due is { } d ? EndOf(d) : null;
    }

    public DateOnly DayOf(DateTimeOffset time) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time, zone).DateTime);

    /// <summary>The last microsecond (PostgreSQL's precision) of the day in the zone.</summary>
    public DateTimeOffset EndOf(DateOnly day) => StartOf(day.AddDays(1)).AddTicks(-TimeSpan.TicksPerMicrosecond);

    /// <summary>
    /// The first instant of the day in the zone. A DST change can skip midnight or pass it twice, so the
    /// instant is searched for rather than assumed: the first second whose local date is the day. Offsets
    /// lie within ±14 hours, which brackets it.
    /// </summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var midnight = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        long before = midnight.AddHours(-15).ToUnixTimeSeconds(), from = midnight.AddHours(15).ToUnixTimeSeconds();
        while (from - before > 1)
        {
            var middle = before + (from - before) / 2;
            if (DayOf(DateTimeOffset.FromUnixTimeSeconds(middle)) >= day) from = middle;
            else before = middle;
        }
        return DateTimeOffset.FromUnixTimeSeconds(from);
    }

    static DateOnly AddWeekdays(DateOnly day, int count)
    {
        while (count > 0)
        {
            day = day.AddDays(1);
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                count--;
        }
        return day;
    }
}
