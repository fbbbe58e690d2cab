using Miso.Privacy.Execution;

namespace Miso.Privacy.Tests.Execution;

/// <summary>The job's own retries: base × 2^(attempt−1), capped, ±20% jitter, never sooner than Miso's Retry-After.</summary>
public sealed class RetryScheduleTests
{
    static readonly ExecutionOptions Options = new() { RetryBaseDelay = TimeSpan.FromSeconds(15), RetryMaxDelay = TimeSpan.FromMinutes(30) };

    [Theory]
    [InlineData(1, 15)]
    [InlineData(2, 30)]
    [InlineData(3, 60)]
    [InlineData(5, 240)]
    [InlineData(8, 1800)]
    [InlineData(10, 1800)]
    [InlineData(0, 15)]
    public void Delay_DoublesPerAttempt_UpToTheCap_WithinTheJitter(int attempts, double seconds)
    {
        for (var i = 0; i < 200; i++)
        {
            var delay = RetrySchedule.Delay(Options, attempts, null).TotalSeconds;
            Assert.InRange(delay, seconds * 0.8, seconds * 1.2);
        }
    }

    [Fact]
    public void Delay_Jitters_SoRetriesOfManyItemsSpreadOut() =>
        Assert.True(Enumerable.Range(0, 50).Select(_ => RetrySchedule.Delay(Options, 3, null)).Distinct().Count() > 1);

    [Fact]
    public void Delay_IsNeverShorterThanMisosRetryAfter()
    {
        Assert.Equal(TimeSpan.FromMinutes(10), RetrySchedule.Delay(Options, 1, TimeSpan.FromMinutes(10)));
        Assert.InRange(RetrySchedule.Delay(Options, 3, TimeSpan.FromSeconds(1)).TotalSeconds, 48, 72);
    }
}
