using Miso.Privacy.Execution;

namespace Miso.Privacy.Tests.Execution;

public sealed class RateWindowTests
{
    [Theory]
    [InlineData(10, 1, 10)]
    [InlineData(1, 1, 1)]
    [InlineData(2.5, 1, 2)] // never more than 2.5 in a second is at most 2
    [InlineData(0.5, 2, 1)]
    [InlineData(0.1, 10, 1)]
    public void TheWindow_IsASecondHoldingTheWholeRate_OrUnderOneASecond_OnePer1OverRateSeconds(
        double callsPerSecond, double windowSeconds, int limit)
    {
        var (window, most) = RateGateStore.Window(callsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(windowSeconds), window);
        Assert.Equal(limit, most);
    }
}
