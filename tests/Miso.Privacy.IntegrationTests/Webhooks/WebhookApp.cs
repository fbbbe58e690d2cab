using System.Net;
using System.Text.Json;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Webhooks;

/// <summary>
/// The service with its Hangfire workers and the emulator, and a webhook receiver on a loopback port, which the service may
/// reach because <c>Webhooks:AllowPrivateNetworks</c> is on (as in run.sh); retries are quick.
/// </summary>
public class WebhookApp : ExecutionApp
{
    public WebhookReceiver Receiver { get; private set; } = null!;

    protected virtual bool AllowPrivateNetworks => true;

    public override async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        Outbound.Plan(Receiver.BaseAddress);
        ExtraSettings["Webhooks:AllowPrivateNetworks"] = AllowPrivateNetworks ? "true" : "false";
        ExtraSettings["Webhooks:DispatchInterval"] = "00:00:01";
        ExtraSettings["Webhooks:RetryBaseDelay"] = "00:00:00.200";
        ExtraSettings["Webhooks:RetryMaxDelay"] = "00:00:01";
        ExtraSettings["Webhooks:Timeout"] = "00:00:03";
        // OpenDSR callbacks go through the same outbox and dispatch; its tests share this app.
        foreach (var (key, value) in OpenDsr.OpenDsrKeys.Settings())
            ExtraSettings[key] = value;
        await base.InitializeAsync();
    }

    /// <summary>Registers a webhook and returns its id and secret.</summary>
    public async Task<(string Id, string Secret)> SubscribeAsync(string path, params string[] events)
    {
        var body = JsonSerializer.Serialize(new { url = Receiver.Url(path), events });
        var created = await (await ClientFor(TestKeys.Admin).PostJsonAsync("/api/v1/webhooks", body)).JsonAsync(HttpStatusCode.Created);
        return (created.Str("id"), created.Str("secret"));
    }

    public async Task UnsubscribeAsync(string id) =>
        Assert.Equal(HttpStatusCode.NoContent, (await ClientFor(TestKeys.Admin).DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary>What a delivery says, read from its body.</summary>
public static class Deliveries
{
    public static JsonElement Json(this ReceivedCall call) => JsonDocument.Parse(call.Body).RootElement.Clone();

    public static string RequestId(this ReceivedCall call) => call.Json().GetProperty("data").Str("id");

    public static string Type(this ReceivedCall call) => call.Json().Str("type");

    /// <summary>The events of one request at one path, in the order their first successful delivery arrived.</summary>
    public static List<string> Delivered(this IEnumerable<ReceivedCall> calls, string path, string requestId) =>
        calls.Where(c => c.Path == path && c.Status is >= 200 and < 300 && c.RequestId() == requestId)
            .DistinctBy(c => c.Header("webhook-id")).Select(c => c.Type()).ToList();
}
