using Miso.Privacy.Suppressions;

namespace Miso.Privacy.IntegrationTests.Forwarding;

/// <summary>Two service instances on one database, in front of one emulator.</summary>
public abstract class TwoInstances : IAsyncLifetime
{
    public ForwardingApp A { get; } = new();
    public abstract ForwardingApp B { get; }

    public async Task InitializeAsync()
    {
        await A.InitializeAsync();
        B.ConnectionString = A.ConnectionString;
        B.SharedEmulator = A.Emulator;
        await B.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}

/// <summary>
/// B neither listens for changes nor holds a lease, so it learns of an erasure only through the version read each
/// upload then makes: the guarantee must hold without notifications.
/// </summary>
public sealed class TwoInstancesWithoutNotifications : TwoInstances
{
    public override ForwardingApp B { get; } = new()
    {
        TestServices = services => services.Remove(services.Single(d => d.ImplementationType == typeof(SuppressionListener))),
    };

    public TwoInstancesWithoutNotifications() => B.ExtraSettings["Forwarding:FreshnessLease"] = "00:00:00";
}

/// <summary>
/// Both instances hold leases, so their uploads do not read the database at all: the guarantee rests on every
/// writer waiting for each lease to acknowledge its change.
/// </summary>
public sealed class LeasedTwoInstances : TwoInstances
{
    public override ForwardingApp B { get; } = new();
}
