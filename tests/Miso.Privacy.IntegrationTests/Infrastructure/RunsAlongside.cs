namespace Miso.Privacy.IntegrationTests.Infrastructure;

/// <summary>
/// <c>scripts/test.sh</c> runs the classes with this trait in a test process of their own, beside the process that runs
/// every other class one at a time. Most hold a core little of the time: they drive whole processes (run.sh,
/// <c>dotnet pack</c>), start a cluster of their own, or wait out an outage; a few long, self-contained classes join
/// them so that both processes take about as long. Two processes share none of Hangfire's statics, and inside each
/// the classes still run one at a time.
/// </summary>
public static class RunsAlongside
{
    public const string Trait = "RunsAlongside";
    public const string Yes = "true";
}
