using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Cli;

/// <summary>
/// <c>webhooks add|list|remove|deliveries|redeliver</c> against the service with its workers and a receiver the test
/// starts: what the client prints, what the service stored, and what the receiver got. Each test removes its webhooks.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class WebhookCommandTests : IClassFixture<CliWebhookApp>
{
    readonly CliWebhookApp _app;

    public WebhookCommandTests(CliWebhookApp app)
    {
        _app = app;
        // /cli-down answers 500 to everything, so its deliveries stay open (retried for 24 h); the rest take everything.
        app.Receiver.Respond = (path, _, _) => path == "/cli-down" ? 500 : 200;
    }

    static string Raw(JsonElement element, string property) =>
        element.GetProperty(property) is { ValueKind: JsonValueKind.String } text ? text.GetString()! : element.GetProperty(property).GetRawText();

    async Task<string> AddAsync(string path)
    {
        var added = await _app.CliAsync(TestKeys.Admin, "webhooks", "add", _app.Receiver.Url(path), "--event", "request.created", "--json");
        Assert.True(added.ExitCode == 0, added.ToString());
        return JsonDocument.Parse(added.Out).RootElement.Str("id");
    }

    async Task<string> EraseAsync()
    {
        var erased = await _app.CliAsync(TestKeys.Writer, "erase", $"cli-hook-{Guid.NewGuid():N}", "--json");
        Assert.True(erased.ExitCode == 0, erased.ToString());
        return JsonDocument.Parse(erased.Out).RootElement.GetProperty("requests")[0].Str("id");
    }

    async Task<int> DeliveriesOfAsync(string webhook)
    {
        await using var db = _app.NewDb();
        return await db.WebhookDeliveries.CountAsync(d => d.WebhookId == Guid.Parse(webhook));
    }

    [Fact]
    public async Task Add_PrintsTheSecretAloneOnStdout_List_NeverShowsIt_AndRemove_TakesItAway()
    {
        var url = _app.Receiver.Url("cli-add");

        var added = await _app.CliAsync(TestKeys.Admin, "webhooks", "add", url, "--event", "request.created");

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Matches(@"^whsec_[A-Za-z0-9+/]{43}=\n$", added.Out);
        var secret = added.Out.TrimEnd('\n');
        Assert.Contains("shown only this once", added.Error);
        Assert.DoesNotContain(secret, added.Error);
        Guid textId;
        await using (var db = _app.NewDb())
            textId = (await db.Webhooks.AsNoTracking().SingleAsync(w => w.Url == url && w.DeletedAt == null)).Id;
        Assert.Contains(textId.ToString(), added.Error);

        var json = await _app.CliAsync(TestKeys.Admin, "webhooks", "add", _app.Receiver.Url("cli-add-json"), "--event", "request.created",
            "--event", "request.completed", "--json");

        Assert.True(json.ExitCode == 0, json.ToString());
        var body = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal(["created_at", "events", "id", "secret", "url"], body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(_app.Receiver.Url("cli-add-json"), body.Str("url"));
        Assert.Equal(["request.created", "request.completed"], body.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Matches(@"^whsec_[A-Za-z0-9+/]{43}=$", body.Str("secret"));
        var jsonId = body.Str("id");
        try
        {
            var listed = await _app.CliAsync(TestKeys.Admin, "webhooks", "list");
            Assert.True(listed.ExitCode == 0, listed.ToString());
            var row = listed.Out.Split('\n').Single(l => l.Contains(textId.ToString()));
            Assert.Contains(url, row);
            Assert.Contains("request.created", row);
            Assert.Contains(jsonId, listed.Out);
            Assert.DoesNotContain("SECRET", listed.Out);
            Assert.DoesNotContain(secret, listed.Out);
            Assert.DoesNotContain(body.Str("secret"), listed.Out);
            Assert.DoesNotContain("whsec_", listed.Out);

            var listedJson = await _app.CliAsync(TestKeys.Admin, "webhooks", "list", "--json");
            Assert.True(listedJson.ExitCode == 0, listedJson.ToString());
            Assert.DoesNotContain("whsec_", listedJson.Out);
            var item = JsonDocument.Parse(listedJson.Out).RootElement.GetProperty("data").EnumerateArray().Single(w => w.Str("id") == jsonId);
            Assert.False(item.TryGetProperty("secret", out _));
            Assert.Equal("operator", item.Str("created_by"));
        }
        finally
        {
            var removed = await _app.CliAsync(TestKeys.Admin, "webhooks", "remove", textId.ToString());
            Assert.True(removed.ExitCode == 0, removed.ToString());
            Assert.Equal($"Removed webhook {textId}.\n", removed.Out);
            Assert.Equal(0, (await _app.CliAsync(TestKeys.Admin, "webhooks", "remove", jsonId)).ExitCode);
        }

        await using (var db = _app.NewDb())
            Assert.All(await db.Webhooks.AsNoTracking().Where(w => w.Id == textId || w.Id == Guid.Parse(jsonId)).ToListAsync(),
                w => Assert.NotNull(w.DeletedAt));
        var after = await _app.CliAsync(TestKeys.Admin, "webhooks", "list");
        Assert.DoesNotContain(textId.ToString(), after.Out);
        Assert.DoesNotContain(jsonId, after.Out);

        // Removing one again answers 204 and writes nothing; an id the service never gave is a 404, exit 1.
        Assert.Equal(0, (await _app.CliAsync(TestKeys.Admin, "webhooks", "remove", textId.ToString())).ExitCode);
        var unknown = await _app.CliAsync(TestKeys.Admin, "webhooks", "remove", Guid.NewGuid().ToString());
        Assert.True(unknown.ExitCode == 1, unknown.ToString());
        Assert.Contains("404", unknown.Error);
        Assert.Equal("", unknown.Out);
    }

    [Fact]
    public async Task Deliveries_ListTheEventAnEraseSent_AndRedeliver_SendsItAgain_ButNotWhileItIsStillOnItsWay()
    {
        var webhook = await AddAsync("cli-deliveries");
        try
        {
            var request = await EraseAsync();

            // Redeliver answers 409 while the delivery is open: wait until the receiver has it and the service says so.
            JsonElement delivery = default;
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (delivery.ValueKind != JsonValueKind.Object)
            {
                Assert.True(DateTime.UtcNow < deadline, "the delivery was not delivered");
                var page = await _app.CliAsync(TestKeys.Admin, "webhooks", "deliveries", webhook, "--json");
                Assert.True(page.ExitCode == 0, page.ToString());
                delivery = JsonDocument.Parse(page.Out).RootElement.GetProperty("data").EnumerateArray()
                    .FirstOrDefault(d => d.Str("request_id") == request && d.Str("state") == "delivered");
                if (delivery.ValueKind != JsonValueKind.Object)
                    await Task.Delay(250);
            }
            var deliveryId = Raw(delivery, "id");
            var messageId = delivery.Str("message_id");
            Assert.Equal("request.created", delivery.Str("type"));
            Assert.Single(_app.Receiver.Calls, c => c.Path == "/cli-deliveries" && c.Header("webhook-id") == messageId);

            var table = await _app.CliAsync(TestKeys.Admin, "webhooks", "deliveries", webhook);
            Assert.True(table.ExitCode == 0, table.ToString());
            var header = table.Out.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("ATTEMPT_COUNT", header);
            // The attempts are a list of objects: no column of empty cells or bare commas for them.
            Assert.DoesNotContain("ATTEMPTS", header);
            var row = table.Out.Split('\n').Single(l => l.Contains(messageId));
            Assert.Contains(request, row);
            Assert.Contains("delivered", row);
            Assert.Contains("request.created", row);

            var redelivered = await _app.CliAsync(TestKeys.Admin, "webhooks", "redeliver", webhook, deliveryId);

            Assert.True(redelivered.ExitCode == 0, redelivered.ToString());
            Assert.Equal($"Delivery {deliveryId} will be sent again.\n", redelivered.Out);
            await _app.Receiver.WaitForAsync(calls => calls.Count(c => c.Path == "/cli-deliveries" && c.Header("webhook-id") == messageId && c.Status == 200) == 2);
            var again = JsonDocument.Parse((await _app.CliAsync(TestKeys.Admin, "webhooks", "deliveries", webhook, "--json")).Out).RootElement
                .GetProperty("data").EnumerateArray().Single(d => d.TryGetProperty("redelivery_of", out var of) && of.ValueKind != JsonValueKind.Null
                    && Raw(d, "redelivery_of") == deliveryId);
            Assert.Equal((messageId, request), (again.Str("message_id"), again.Str("request_id")));

            var unknownDelivery = await _app.CliAsync(TestKeys.Admin, "webhooks", "redeliver", webhook, "999999999");
            Assert.True(unknownDelivery.ExitCode == 1, unknownDelivery.ToString());
            Assert.Contains("delivery_id:", unknownDelivery.Error);
        }
        finally
        {
            Assert.Equal(0, (await _app.CliAsync(TestKeys.Admin, "webhooks", "remove", webhook)).ExitCode);
        }

        // The outbox writes the delivery with the request, so it is open the moment erase returns, and stays open at a
        // receiver that answers 500: a redelivery now is refused, exit 1, saying why.
        var down = await AddAsync("cli-down");
        try
        {
            var request = await EraseAsync();
            var open = JsonDocument.Parse((await _app.CliAsync(TestKeys.Admin, "webhooks", "deliveries", down, "--json")).Out).RootElement
                .GetProperty("data").EnumerateArray().Single(d => d.Str("request_id") == request);
            Assert.Contains(open.Str("state"), new[] { "pending", "sending" });
            var before = await DeliveriesOfAsync(down);

            var refused = await _app.CliAsync(TestKeys.Admin, "webhooks", "redeliver", down, Raw(open, "id"));

            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.Contains("409", refused.Error);
            Assert.Contains("delivery_id: This event is still being delivered", refused.Error);
            Assert.Equal("", refused.Out);
            Assert.Equal(before, await DeliveriesOfAsync(down));
        }
        finally
        {
            Assert.Equal(0, (await _app.CliAsync(TestKeys.Admin, "webhooks", "remove", down)).ExitCode);
        }
    }
}
