using Miso.Privacy.Execution;

namespace Miso.Privacy.Tests.Retention;

public sealed class SweepScheduleTests
{
    [Theory]
    [InlineData("1.00:00:00, 7.00:00:00, 30.00:00:00", new[] { 86400.0, 604800, 2592000 })]
    [InlineData("[00:00:02,00:00:05]", new[] { 2.0, 5 })]
    [InlineData("[\"00:00:02\", \"00:00:05\"]", new[] { 2.0, 5 })]
    [InlineData("[]", new double[0])]
    [InlineData("", new double[0])]
    [InlineData("  ", new double[0])]
    public void Parse_ReadsAscendingOffsets(string text, double[] seconds) =>
        Assert.Equal(seconds, SweepSchedule.Parse(text)!.Select(o => o.TotalSeconds));

    [Theory]
    [InlineData("7.00:00:00, 1.00:00:00")]
    [InlineData("1.00:00:00, 1.00:00:00")]
    [InlineData("00:00:00")]
    [InlineData("-00:00:05")]
    [InlineData("soon")]
    [InlineData("1.00:00:00,,2.00:00:00")]
    [InlineData("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21")]
    public void Parse_RefusesAnythingElse(string text) => Assert.Null(SweepSchedule.Parse(text));

    [Fact]
    public void Default_IsADayAWeekAndAMonth() =>
        Assert.Equal([1, 7, 30], new ExecutionOptions().SweepOffsets.Select(o => o.TotalDays));
}
