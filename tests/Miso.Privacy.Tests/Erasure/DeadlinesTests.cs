using Miso.Privacy.Erasure;

namespace Miso.Privacy.Tests.Erasure;

/// <summary>The legal clock's calendar: months to the corresponding date, days in the configured zone, each due day ending with its last microsecond.</summary>
public sealed class DeadlinesTests
{
    static readonly TimeSpan LastMicrosecond = TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond);

    static DateTimeOffset Utc(int y, int m, int d, int h = 0, int min = 0) => new(y, m, d, h, min, 0, TimeSpan.Zero);

    /// <summary>The end of a UTC day: its last microsecond.</summary>
    static DateTimeOffset EndOfUtcDay(int y, int m, int d) => Utc(y, m, d).AddDays(1) - LastMicrosecond;

    static Deadlines In(string zone, int otherDays = 30, int otherExtensionDays = 0) =>
        new(TimeZoneInfo.FindSystemTimeZoneById(zone), otherDays, otherExtensionDays);

    [Theory]
    [InlineData("2026-09-03", "2026-10-03")] // the ICO's own example
    [InlineData("2026-01-31", "2026-02-28")] // no 31 February: the month's last day
    [InlineData("2028-01-31", "2028-02-29")] // a leap year's February
    [InlineData("2028-02-29", "2028-03-29")]
    [InlineData("2027-02-28", "2027-03-28")]
    [InlineData("2026-03-29", "2026-04-29")]
    [InlineData("2026-03-30", "2026-04-30")]
    [InlineData("2026-03-31", "2026-04-30")] // no 31 April
    [InlineData("2026-04-30", "2026-05-30")]
    [InlineData("2026-02-01", "2026-03-01")] // 30 days would end on 3 March, two days late
    [InlineData("2026-07-01", "2026-08-01")] // 30 days would end on 31 July, a day early
    [InlineData("2026-12-31", "2027-01-31")]
    public void Gdpr_AndUkGdpr_AreDueOnTheCorrespondingDateOfTheNextMonth(string submitted, string due)
    {
        var asked = DateTimeOffset.Parse(submitted + "T09:30:00Z");
        var end = DateOnly.Parse(due);
        foreach (var regulation in new[] { Regulation.Gdpr, Regulation.UkGdpr })
            foreach (var type in Enum.GetValues<RequestType>())
                Assert.Equal(EndOfUtcDay(end.Year, end.Month, end.Day), Deadlines.Default.DueAt(regulation, type, asked));
    }

    [Fact]
    public void DueAt_EndsWithTheDay_WhateverTheTimeOfAsking()
    {
        Assert.Equal(EndOfUtcDay(2026, 3, 3), Deadlines.Default.DueAt(Regulation.Gdpr, RequestType.Erase, Utc(2026, 2, 3)));
        Assert.Equal(EndOfUtcDay(2026, 3, 3), Deadlines.Default.DueAt(Regulation.Gdpr, RequestType.Erase, Utc(2026, 2, 3).AddDays(1) - LastMicrosecond));
        Assert.Equal(Utc(2026, 3, 4) - LastMicrosecond, EndOfUtcDay(2026, 3, 3));
    }

    [Fact]
    public void Ccpa_IsDue45CalendarDaysLater_ButAnOptOutIn15Weekdays()
    {
        Assert.Equal(EndOfUtcDay(2026, 11, 15), Deadlines.Default.DueAt(Regulation.Ccpa, RequestType.Erase, Utc(2026, 10, 1, 8)));
        Assert.Equal(EndOfUtcDay(2026, 11, 15), Deadlines.Default.DueAt(Regulation.Ccpa, RequestType.Delete, Utc(2026, 10, 1, 8)));
        // Monday 2 November: three weeks of weekdays later is Monday 23 November (holidays are not skipped, so never later).
        Assert.Equal(EndOfUtcDay(2026, 11, 23), Deadlines.Default.DueAt(Regulation.Ccpa, RequestType.Suppress, Utc(2026, 11, 2, 15)));
        // Asked on a Saturday: the first business day counted is the Monday.
        Assert.Equal(EndOfUtcDay(2026, 11, 27), Deadlines.Default.DueAt(Regulation.Ccpa, RequestType.Suppress, Utc(2026, 11, 7, 15)));
    }

    [Fact]
    public void Other_TakesTheConfiguredDays()
    {
        Assert.Equal(EndOfUtcDay(2026, 3, 3), Deadlines.Default.DueAt(Regulation.Other, RequestType.Erase, Utc(2026, 2, 1)));
        Assert.Equal(EndOfUtcDay(2026, 2, 11), In("UTC", otherDays: 10).DueAt(Regulation.Other, RequestType.Suppress, Utc(2026, 2, 1)));
    }

    [Fact]
    public void EuropeLondon_CountsLocalDays_AcrossTheSpringAndAutumnChanges()
    {
        var london = In("Europe/London");
        // 23:30 UTC on 1 March is still 1 March in London (GMT); 1 April ends at midnight BST, 23:00 UTC.
        Assert.Equal(Utc(2026, 4, 1, 23) - LastMicrosecond, london.DueAt(Regulation.UkGdpr, RequestType.Erase, Utc(2026, 3, 1, 23, 30)));
        // 23:30 UTC on 1 October is already 2 October in London (BST); 2 November ends at midnight GMT.
        Assert.Equal(Utc(2026, 11, 3) - LastMicrosecond, london.DueAt(Regulation.UkGdpr, RequestType.Erase, Utc(2026, 10, 1, 23, 30)));
    }

    [Fact]
    public void AmericaLosAngeles_CountsFromTheLocalDate()
    {
        var la = In("America/Los_Angeles");
        // 07:00 UTC on 31 January is 23:00 on 30 January in California: due at the end of 28 February (PST).
        Assert.Equal(Utc(2026, 3, 1, 8) - LastMicrosecond, la.DueAt(Regulation.Gdpr, RequestType.Erase, Utc(2026, 1, 31, 7)));
        // 45 days from 1 October (PDT) is 15 November, after the change back to PST.
        Assert.Equal(Utc(2026, 11, 16, 8) - LastMicrosecond, la.DueAt(Regulation.Ccpa, RequestType.Erase, Utc(2026, 10, 1, 18)));
    }

    [Fact]
    public void PacificKiritimati_FourteenHoursAhead_StartsItsDaysFirst()
    {
        var line = In("Pacific/Kiritimati");
        Assert.Equal(Utc(2026, 7, 30, 10) - LastMicrosecond, line.DueAt(Regulation.Gdpr, RequestType.Erase, Utc(2026, 6, 30, 9, 59)));
        Assert.Equal(Utc(2026, 8, 1, 10) - LastMicrosecond, line.DueAt(Regulation.Gdpr, RequestType.Erase, Utc(2026, 6, 30, 10)));
    }

    [Fact]
    public void StartOf_FindsTheDaysFirstInstant_WhenDstSkipsOrRepeatsMidnight()
    {
        // Santiago jumps from 00:00 to 01:00 on 6 September 2026: the day starts at 01:00 -03.
        Assert.Equal(Utc(2026, 9, 6, 4), In("America/Santiago").StartOf(new DateOnly(2026, 9, 6)));
        Assert.Equal(Utc(2026, 9, 6, 4) - LastMicrosecond, In("America/Santiago").EndOf(new DateOnly(2026, 9, 5)));
        // Havana skips midnight on 8 March and passes it twice on 1 November: the earlier one starts the day.
        Assert.Equal(Utc(2026, 3, 8, 5), In("America/Havana").StartOf(new DateOnly(2026, 3, 8)));
        Assert.Equal(Utc(2026, 11, 1, 4), In("America/Havana").StartOf(new DateOnly(2026, 11, 1)));
    }

    [Theory]
    [InlineData(Regulation.Gdpr, "2026-02-28", "2026-04-28")] // two months from the original due date, not from submission
    [InlineData(Regulation.UkGdpr, "2026-05-31", "2026-07-31")]
    [InlineData(Regulation.Gdpr, "2026-12-31", "2027-02-28")]
    [InlineData(Regulation.Gdpr, "2027-12-31", "2028-02-29")]
    [InlineData(Regulation.Ccpa, "2026-11-15", "2026-12-30")]
    public void ExtendedDueAt_AddsTheRegulationsFurtherPeriod(Regulation regulation, string originalDue, string extendedDue)
    {
        var original = DateOnly.Parse(originalDue);
        var extended = DateOnly.Parse(extendedDue);
        Assert.Equal(EndOfUtcDay(extended.Year, extended.Month, extended.Day),
            Deadlines.Default.ExtendedDueAt(regulation, EndOfUtcDay(original.Year, original.Month, original.Day)));
    }

    [Fact]
    public void ExtendedDueAt_ForOther_IsNone_UnlessConfigured()
    {
        Assert.Null(Deadlines.Default.ExtendedDueAt(Regulation.Other, EndOfUtcDay(2026, 3, 3)));
        Assert.Equal(EndOfUtcDay(2026, 3, 17), In("UTC", otherExtensionDays: 14).ExtendedDueAt(Regulation.Other, EndOfUtcDay(2026, 3, 3)));
    }

    [Fact]
    public void ExtendedDueAt_CountsInTheZone()
    {
        var london = In("Europe/London");
        var original = london.DueAt(Regulation.Gdpr, RequestType.Erase, Utc(2026, 1, 31, 12));
        Assert.Equal(Utc(2026, 3, 1) - LastMicrosecond, original);
        Assert.Equal(Utc(2026, 4, 28, 23) - LastMicrosecond, london.ExtendedDueAt(Regulation.Gdpr, original));
    }
}
