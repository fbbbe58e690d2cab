using System.Net;
using Microsoft.Extensions.Configuration;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Hosting;

public sealed class EmulatorServerTests
{
    [Fact]
    public async Task StartAsync_ListensOnLoopbackFreePort_WithDefaultEnvironments()
    {
        await using var first = await EmulatorServer.StartAsync();
        await using var second = await EmulatorServer.StartAsync();

        Assert.Equal("127.0.0.1", first.BaseAddress.Host);
        Assert.NotEqual(first.BaseAddress.Port, second.BaseAddress.Port);
        Assert.EndsWith("/", first.BaseAddress.AbsoluteUri);
        Assert.Equal([EmulatorSettings.Production, EmulatorSettings.Development], first.Environments);
    }

    [Fact]
    public async Task StartAsync_UsesConfiguredEnvironments()
    {
        var staging = new EmulatedEnvironment("staging", "staging-secret", "staging-publishable");
        await using var server = await EmulatorServer.StartAsync(new EmulatorSettings { Environments = [staging] });
        using var client = server.CreateClient();

        using var accepted = await client.UploadAsync("""{"data": [{"type": "click"}]}""", "staging-publishable");
        using var unknown = await client.UploadAsync("""{"data": [{"type": "click"}]}""", EmulatorSettings.Production.SecretKey);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(staging, server.GetEnvironment("staging"));
        Assert.Single(await server.CreateInspector().GetInteractionsAsync("staging"));
    }

    [Fact]
    public void FromConfiguration_BindsEnvironmentsAndFaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Emulator:Environments:0:Name"] = "eu",
            ["Emulator:Environments:0:SecretKey"] = "eu-secret",
            ["Emulator:Environments:0:PublishableKey"] = "eu-public",
            ["Emulator:Faults:LatencyMs"] = "20",
            ["Emulator:Faults:ErrorStatuses:0"] = "503",
            ["Emulator:Faults:RateLimitPerSecond"] = "50",
        }).Build();

        var settings = EmulatorSettings.FromConfiguration(configuration);

        Assert.Equal([new EmulatedEnvironment("eu", "eu-secret", "eu-public")], settings.Environments);
        Assert.Equal(20, settings.Faults!.LatencyMs);
        Assert.Equal([503], settings.Faults.ErrorStatuses!);
        Assert.Equal(50, settings.Faults.RateLimitPerSecond);
    }

    [Fact]
    public void FromConfiguration_DefaultsToProductionAndDevelopment()
    {
        var settings = EmulatorSettings.FromConfiguration(new ConfigurationBuilder().Build());

        Assert.Equal(["production", "development"], settings.Environments.Select(e => e.Name));
        Assert.Null(settings.Faults);
    }
}
