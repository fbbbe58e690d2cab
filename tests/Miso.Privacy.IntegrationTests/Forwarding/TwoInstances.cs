using Miso.Privacy.Forwarding;

namespace Miso.Privacy.IntegrationTests.Forwarding;

/// <summary>
/// Two service instances on one database, in front of one emulator. B does not listen for changes, so it only
/// learns of an erasure through the version check each upload makes: the guarantee must hold without notifications.
/// </summary>
public sealed class TwoInstances : IAsyncLifetime
{
    public ForwardingApp A { get; } = new();
    public ForwardingApp B { get; } = new()
    {
        TestServices = services => services.Remove(services.Single(d => d.ImplementationType == typeof(SuppressionListener))),
    };

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
