namespace Miso.Privacy.IntegrationTests.Infrastructure;

/// <summary>
/// <c>scripts/test.sh</c> runs the classes with this trait in a test process of their own, beside the process that runs
/// every other class one at a time. They suit it because they hold a core little of the time and share no in-process
/// state with the rest: they drive whole processes (run.sh, <c>dotnet pack</c>), start a cluster of their own, or wait
/// out an outage. Two processes never share Hangfire's statics, so the one-class-at-a-time rule holds in each.
/// </summary>
public static class RunsAlongside
{
    public const string Trait = "RunsAlongside";
    public const string Yes = "true";
}
