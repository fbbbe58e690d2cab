using Miso.Privacy.Erasure;

namespace Miso.Privacy.Tests.Erasure;

public sealed class ResponseClockTests
{
    [Fact]
    public void TheIssuesExample_IsLate_After61Point95Days()
    {
        var submitted = new DateTimeOffset(2026, 10, 1, 1, 0, 0, TimeSpan.Zero);
        var completed = new DateTimeOffset(2026, 12, 1, 23, 48, 0, TimeSpan.Zero);
        var due = Deadlines.Default.DueAt(Regulation.Ccpa, RequestType.Erase, submitted);
        Assert.Equal(61.95, ResponseClock.Shown(ResponseClock.Days(submitted, completed)));
        Assert.True(ResponseClock.IsLate(completed, due));
    }

    [Fact]
    public void CompletingAtTheDueDatesLastMicrosecond_IsOnTime()
    {
        var due = Deadlines.Default.DueAt(Regulation.Gdpr, RequestType.Erase, new DateTimeOffset(2026, 1, 31, 0, 0, 0, TimeSpan.Zero));
        Assert.False(ResponseClock.IsLate(due, due));
        Assert.True(ResponseClock.IsLate(due.AddTicks(10), due));
    }

    [Fact]
    public void TheSql_MeasuresTheSameSpan_OnTheRowNamed()
    {
        Assert.Equal("(extract(epoch FROM r.completed_at - r.submitted_at)::float8 / 86400)", ResponseClock.DaysSql("r"));
        Assert.Equal("(r.completed_at > r.due_at)", ResponseClock.LateSql("r"));
    }
}
