using Miso.Privacy.Erasure;

namespace Miso.Privacy.Tests.Erasure;

public sealed class DeadlinesTests
{
    static readonly DateTimeOffset Submitted = new(2026, 1, 31, 9, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(Regulation.Gdpr, 30)]
    [InlineData(Regulation.Ccpa, 45)]
    [InlineData(Regulation.Other, 30)]
    public void DueAt_CountsFromSubmission_ByRegulation(Regulation regulation, int days) =>
        Assert.Equal(Submitted.AddDays(days), Deadlines.DueAt(regulation, Submitted));

    [Fact]
    public void DueAt_KeepsTheTimeOfDay_AndTheOffset()
    {
        var local = new DateTimeOffset(2026, 6, 1, 23, 59, 59, TimeSpan.FromHours(2));
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 23, 59, 59, TimeSpan.FromHours(2)), Deadlines.DueAt(Regulation.Gdpr, local));
    }
}
