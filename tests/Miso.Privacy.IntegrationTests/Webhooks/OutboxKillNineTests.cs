using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Miso.Emulator;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.Webhooks;
using Xunit.Abstractions;

namespace Miso.Privacy.IntegrationTests.Webhooks;

/// <summary>
/// The real service process killed with SIGKILL after a state change committed and while its first event was on the
/// wire: started again, it delivers that event (with the same webhook-id) and every later one, in order, signed.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class OutboxKillNineTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillingTheServiceBetweenCommitAndDelivery_LosesNoEvent()
    {
        var connectionString = await TestDatabase.CreateAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var holding = true;
        // While holding, the receiver never answers: the event is committed, claimed and sent, but not delivered.
        receiver.Respond = (_, _, _) => Volatile.Read(ref holding) ? 0 : 200;
        var port = FreePort.Next();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.All.Value);

        var service = await StartAsync(port, connectionString, emulator, http);
        try
        {
            var created = await (await http.PostJsonAsync("/api/v1/webhooks", JsonSerializer.Serialize(new { url = receiver.Url("kill"), events = WebhookEvents.All })))
                .JsonAsync(HttpStatusCode.Created);
            var secret = created.Str("secret");
            var request = await Erasures.CreateAsync(http, ["kill9-webhook"]);
            var held = (await receiver.WaitForAsync(c => c.Count >= 1, TimeSpan.FromSeconds(60)))[0];
            Assert.Equal(WebhookEvents.Created, held.Type());

            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
            Volatile.Write(ref holding, false);
            receiver.Release();
            service.Dispose();
            service = await StartAsync(port, connectionString, emulator, http);

            await Erasures.WaitForAsync(http, [request], "completed", TimeSpan.FromMinutes(2));
            var calls = await receiver.WaitForAsync(c => c.Delivered("/kill", request).Count == 3, TimeSpan.FromMinutes(2));
            Assert.Equal([WebhookEvents.Created, WebhookEvents.InProgress, WebhookEvents.Completed], calls.Delivered("/kill", request));
            Assert.Contains(calls, c => c.Status == 200 && c.Header("webhook-id") == held.Header("webhook-id") && c.Text == held.Text);
            Assert.All(calls, c => Assert.True(StandardWebhooksVerifier.Verifies(secret, c)));
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            service.Dispose();
        }
    }

    Task<Process> StartAsync(int port, string connectionString, EmulatorServer emulator, HttpClient http) =>
        ServiceProcess.StartAsync(port, connectionString, emulator, http, output, new Dictionary<string, string>
        {
            ["Execution__BatchWindow"] = "00:00:00.200",
            ["Execution__DrainInterval"] = "00:00:01",
            ["Webhooks__AllowPrivateNetworks"] = "true",
            ["Webhooks__DispatchInterval"] = "00:00:01",
            ["Webhooks__Timeout"] = "00:00:02",
            ["Webhooks__RetryBaseDelay"] = "00:00:00.200",
            ["Webhooks__RetryMaxDelay"] = "00:00:01",
        });
}
