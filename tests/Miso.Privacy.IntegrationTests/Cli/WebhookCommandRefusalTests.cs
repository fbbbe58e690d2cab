using Miso.Privacy.IntegrationTests.Dashboard;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Cli;

/// <summary>
/// What the <c>webhooks</c> commands refuse, against the service as deployed (<c>Webhooks:AllowPrivateNetworks</c> off):
/// a key without admin, and a destination on a private network. Neither writes a webhook.
/// </summary>
public sealed class WebhookCommandRefusalTests(KestrelPrivacyApp app) : IClassFixture<KestrelPrivacyApp>
{
    [Fact]
    public async Task EveryWebhooksCommand_WithAKeyWithoutAdmin_IsExit3_AndWritesNothing()
    {
        var before = await app.CountAsync("webhooks");
        var id = Guid.NewGuid().ToString();
        foreach (var args in new[]
        {
            new[] { "webhooks", "add", "https://hooks.example.com/in", "--event", "request.created" },
            ["webhooks", "list"],
            ["webhooks", "remove", id],
            ["webhooks", "deliveries", id],
            ["webhooks", "redeliver", id, "1"],
        })
            foreach (var key in new[] { TestKeys.Writer, TestKeys.Reader })
            {
                var run = await app.CliAsync(key, args);
                Assert.True(run.ExitCode == 3, $"{key.Name} {string.Join(' ', args)}: {run}");
                Assert.Contains("403", run.Error);
                Assert.Equal("", run.Out);
            }
        Assert.Equal(3, (await app.CliAsync(new TestKey("nobody", "not-a-key", []), "webhooks", "list")).ExitCode);
        Assert.Equal(before, await app.CountAsync("webhooks"));
    }

    [Fact]
    public async Task AddingALoopbackUrl_WithPrivateNetworksNotAllowed_IsExit1_ShowingTheUrlFieldsError_AndWritesNothing()
    {
        var before = await app.CountAsync("webhooks");
        foreach (var url in new[] { "http://127.0.0.1:9/hooks", "http://localhost:9/hooks", "http://[::1]:9/hooks" })
        {
            var run = await app.CliAsync(TestKeys.Admin, "webhooks", "add", url, "--event", "request.created");

            Assert.True(run.ExitCode == 1, $"{url}: {run}");
            Assert.Contains("The service answered 400", run.Error);
            Assert.Contains("url: Must point at a public address", run.Error);
            Assert.Contains("Webhooks:AllowPrivateNetworks is off", run.Error);
            Assert.Equal("", run.Out);
        }
        Assert.Equal(before, await app.CountAsync("webhooks"));
    }
}
