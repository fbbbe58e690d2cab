using Miso.Emulator.Inspection;

namespace Miso.Emulator.Tests.Support;

/// <summary>One real emulator per test class.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public EmulatorServer Server { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public EmulatorInspector Inspector { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await EmulatorServer.StartAsync();
        Client = Server.CreateClient();
        Inspector = new EmulatorInspector(Client);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>Base for tests sharing a class fixture: each test starts from a reset emulator.</summary>
public abstract class EmulatorTest(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>, IAsyncLifetime
{
    protected static readonly EmulatedEnvironment Production = EmulatorSettings.Production;
    protected static readonly EmulatedEnvironment Development = EmulatorSettings.Development;

    protected EmulatorFixture Fixture { get; } = fixture;
    protected HttpClient Client => Fixture.Client;
    protected EmulatorInspector Inspector => Fixture.Inspector;

    public Task InitializeAsync() => Inspector.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
