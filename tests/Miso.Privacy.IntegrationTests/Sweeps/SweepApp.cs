using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Sweeps;

/// <summary>The execution host with sweeps seconds apart instead of days.</summary>
public sealed class SweepApp : ExecutionApp
{
    public const int FirstSweepSeconds = 6;
    public const int LastSweepSeconds = 12;

    public SweepApp() => ExtraSettings["Execution:Sweeps"] = $"00:00:{FirstSweepSeconds:00}, 00:00:{LastSweepSeconds:00}";
}
