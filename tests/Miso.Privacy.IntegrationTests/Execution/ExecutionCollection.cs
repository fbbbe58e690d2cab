namespace Miso.Privacy.IntegrationTests.Execution;

/// <summary>
/// The classes whose assertions depend on jobs keeping time (rates, retries, leases), or that build and start the
/// whole system, run one after another and alone, after the rest: on two cores, several Hangfire servers and
/// emulators at once starve each other. Every other class runs beside one other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExecutionCollection
{
    public const string Name = "Execution";
}
