namespace Miso.Privacy.IntegrationTests.Forwarding;

/// <summary>Two service instances on one database, in front of one emulator.</summary>
public sealed class TwoInstances : IAsyncLifetime
{
    public ForwardingApp A { get; } = new();
    public ForwardingApp B { get; } = new();

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
