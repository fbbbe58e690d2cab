using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Miso.Emulator.Inspection;

namespace Miso.Emulator;

/// <summary>The emulator on a real Kestrel socket (127.0.0.1, a free port), for other projects' tests.</summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    readonly WebApplication _app;

    EmulatorServer(WebApplication app, Uri baseAddress, IReadOnlyList<EmulatedEnvironment> environments)
    {
        _app = app;
        BaseAddress = baseAddress;
        Environments = environments;
    }

    public Uri BaseAddress { get; }

    public IReadOnlyList<EmulatedEnvironment> Environments { get; }

    public static async Task<EmulatorServer> StartAsync(EmulatorSettings? settings = null)
    {
        settings ??= new EmulatorSettings();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EmulatorServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // The host process's own appsettings (Kestrel endpoints, logging) must not leak into the emulator.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

        var app = EmulatorApp.Build(builder, settings);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        return new EmulatorServer(app, new Uri(address.TrimEnd('/') + "/"), settings.Environments);
    }

    public EmulatedEnvironment GetEnvironment(string name) =>
        Environments.FirstOrDefault(e => e.Name == name)
        ?? throw new ArgumentException($"No emulated environment named '{name}'.", nameof(name));

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    public EmulatorInspector CreateInspector() => new(CreateClient());

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
