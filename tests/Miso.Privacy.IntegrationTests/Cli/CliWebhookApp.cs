using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.IntegrationTests.Webhooks;

namespace Miso.Privacy.IntegrationTests.Cli;

/// <summary>
/// The webhook app (Hangfire workers, the emulator, a loopback receiver the service may reach) on a real loopback port, so
/// the client can call it as it calls a deployed service.
/// </summary>
public sealed class CliWebhookApp : WebhookApp
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

    public Task<CliResult> CliAsync(TestKey? key, params string[] args) => BaseAddress.CliAsync(key, args);
}
