using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Dashboard;

/// <summary>The service on a real loopback port (Kestrel, not the in-memory TestServer), so a browser can reach it.</summary>
public sealed class KestrelPrivacyApp : PrivacyApp
{
    public Uri BaseAddress { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
    }
}
