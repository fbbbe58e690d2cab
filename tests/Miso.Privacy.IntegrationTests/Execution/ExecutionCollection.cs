namespace Miso.Privacy.IntegrationTests.Execution;

/// <summary>
/// The classes whose assertions depend on jobs keeping time (rates, retries, leases) run one after
/// another: on two cores, several Hangfire servers and emulators at once starve each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ExecutionCollection
{
    public const string Name = "Execution";
}
