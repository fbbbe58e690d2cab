using Miso.Privacy.Infrastructure;

namespace Miso.Privacy.Tests.Infrastructure;

public sealed class EnvironmentNamesTests
{
    static readonly EnvironmentNames Names = new(["production", "development"]);

    [Fact]
    public void All_IsSorted_AndResolvesAListNeverRecorded()
    {
        Assert.Equal(["development", "production"], Names.All);
        Assert.Equal(["development", "production"], Names.Resolve(null));
        Assert.Equal(["production"], Names.Resolve(["production"]));
    }

    [Fact]
    public void Parse_LeavesOutMeansEvery_AndNamesASortedSubset()
    {
        Assert.Equal((null, null), Names.Parse(null));
        Assert.Equal(["development", "production"], Names.Parse(["production", "development"]).Names!);
    }

    [Theory]
    [InlineData(new string[0], 1)]
    [InlineData(new[] { "staging" }, 1)]
    [InlineData(new[] { "production", "production" }, 1)]
    [InlineData(new[] { "production", "", " production", "PRODUCTION" }, 3)]
    public void Parse_Refuses_EmptyUnknownAndRepeatedNames(string[] requested, int problems)
    {
        var (names, found) = Names.Parse(requested);
        Assert.Null(names);
        Assert.Equal(problems, found!.Length);
    }
}
