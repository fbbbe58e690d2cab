using System.Net;
using System.Text.Json;
using Miso.Emulator.Faults;
using Miso.Privacy.Audit;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.Webhooks;
using Npgsql;

namespace Miso.Privacy.IntegrationTests.Webhooks;

/// <summary>
/// Status webhooks end to end: the real service, its Hangfire workers, the emulator, and a receiver the test starts. Each
/// test subscribes its own endpoint and removes it when done (every live webhook gets every event it subscribed to).
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class WebhookDeliveryTests : IClassFixture<WebhookApp>
{
    readonly WebhookApp _app;
    readonly HttpClient _client;

    public WebhookDeliveryTests(WebhookApp app)
    {
        _app = app;
        _client = app.ClientFor(TestKeys.All);
        // /flaky fails each event twice; /gone answers 410 the first time, then 200, then never; /slow never answers; the rest take everything.
        app.Receiver.Respond = (path, _, before) => path switch
        {
            "/flaky" => before < 2 ? 500 : 204,
            "/gone" => before switch { 0 => 410, 1 => 200, _ => 0 },
            "/slow" => 0,
            _ => 200,
        };
    }

    [Fact]
    public async Task EveryStateChange_IsDeliveredSigned_InOrderPerRequest_WithoutASubjectId()
    {
        var (webhook, secret) = await _app.SubscribeAsync("all", WebhookEvents.All);
        try
        {
            var erase = await Erasures.CreateAsync(_client, ["hook-erase-1", "hook-erase-2"], "\"hook-anon-1\"");
            var suppress = await CreateAsync("""{"user_ids": ["hook-suppress"], "type": "suppress", "requested_by": "t", "ticket": "T-9"}""");
            var cancelled = await Erasures.CreateAsync(_client, ["hook-cancel"]);
            await (await _client.PostJsonAsync($"/api/v1/erasure-requests/{cancelled}/cancel", """{"reason": "asked by mistake"}""")).JsonAsync(HttpStatusCode.OK);
            var extended = await Erasures.CreateAsync(_client, ["hook-extend"]);
            var notified = JsonSerializer.Serialize(DateTimeOffset.UtcNow);
            await (await _client.PostJsonAsync($"/api/v1/erasure-requests/{extended}/extend", $$"""{"reason": "complex", "notified_at": {{notified}}}"""))
                .JsonAsync(HttpStatusCode.OK);
            await Erasures.WaitForAsync(_client, [erase, suppress, extended], "completed");

            // A request Miso refuses fails; an operator's retry sends it back to pending and on to completed.
            await _app.Inspector.SetFaultsAsync(new FaultSettings { ErrorRate = 1, ErrorStatuses = [400] });
            string retried;
            try
            {
                retried = await Erasures.CreateAsync(_client, ["hook-refused"]);
                await Erasures.WaitForAsync(_client, [retried], "failed");
            }
            finally
            {
                await _app.Inspector.ClearFaultsAsync();
            }
            await (await _client.PostAsync($"/api/v1/erasure-requests/{retried}/retry", null)).JsonAsync(HttpStatusCode.OK);
            await Erasures.WaitForAsync(_client, [retried], "completed");

            string[] ids = [erase, suppress, cancelled, extended, retried];
            var expected = new Dictionary<string, List<string>>();
            foreach (var id in ids)
            {
                var request = await (await _client.GetAsync($"/api/v1/erasure-requests/{id}")).JsonAsync(HttpStatusCode.OK);
                expected[id] = request.GetProperty("timeline").EnumerateArray().Select(e => e.Str("action")).Where(WebhookEvents.IsStatusEvent).ToList();
            }
            Assert.Equal([WebhookEvents.Created, WebhookEvents.InProgress, WebhookEvents.Completed], expected[erase]);
            Assert.Equal([WebhookEvents.Created, WebhookEvents.Completed], expected[suppress]);
            Assert.Equal([WebhookEvents.Created, WebhookEvents.Cancelled], expected[cancelled]);
            Assert.Contains(WebhookEvents.Extended, expected[extended]);
            Assert.Equal([WebhookEvents.Created, WebhookEvents.InProgress, WebhookEvents.Failed, WebhookEvents.Retried, WebhookEvents.InProgress,
                WebhookEvents.Completed], expected[retried]);

            var calls = await _app.Receiver.WaitForAsync(c => ids.All(id => c.Delivered("/all", id).Count == expected[id].Count));
            var mine = calls.Where(c => c.Path == "/all").ToList();
            foreach (var id in ids)
                Assert.Equal(expected[id], mine.Delivered("/all", id));
            Assert.All(mine, call =>
            {
                Assert.True(StandardWebhooksVerifier.Verifies(secret, call), $"signature of {call.Header("webhook-id")} does not verify");
                Assert.Equal("application/json", call.Header("content-type"));
                foreach (var raw in new[] { "hook-erase-1", "hook-erase-2", "hook-anon-1", "hook-suppress", "hook-cancel", "hook-extend", "hook-refused" })
                    Assert.DoesNotContain(raw, call.Text);
            });
            // One webhook-id per event: a retry or redelivery repeats it, distinct events never share it.
            Assert.Equal(expected.Values.Sum(v => v.Count), mine.Select(c => c.Header("webhook-id")).Distinct().Count());

            var done = mine.Last(c => c.RequestId() == erase).Json();
            Assert.Equal(WebhookEvents.Completed, done.Str("type"));
            Assert.True(done.GetProperty("timestamp").TryGetDateTimeOffset(out _));
            var data = done.GetProperty("data");
            Assert.Equal(["id", "status", "type", "regulation", "due_at", "ticket", "counts"], data.EnumerateObject().Select(p => p.Name));
            Assert.Equal(("completed", "erase", "gdpr"), (data.Str("status"), data.Str("type"), data.Str("regulation")));
            Assert.Equal((3, 2, 1), (data.GetProperty("counts").GetProperty("subjects").GetInt32(), data.GetProperty("counts").GetProperty("user_ids").GetInt32(),
                data.GetProperty("counts").GetProperty("anonymous_ids").GetInt32()));
            Assert.Equal("T-9", mine.First(c => c.RequestId() == suppress).Json().GetProperty("data").Str("ticket"));
            Assert.Equal("cancelled", mine.Last(c => c.RequestId() == cancelled).Json().GetProperty("data").Str("status"));
            // A create's event is built from the request its writer holds, a later one from the row read back: the same text.
            var created = mine.First(c => c.RequestId() == erase).Json();
            Assert.Equal(WebhookEvents.Created, created.Str("type"));
            var createdData = created.GetProperty("data");
            Assert.Equal(data.EnumerateObject().Select(p => p.Name), createdData.EnumerateObject().Select(p => p.Name));
            Assert.Equal((erase, "pending", "erase", "gdpr"), (createdData.Str("id"), createdData.Str("status"), createdData.Str("type"), createdData.Str("regulation")));
            Assert.Equal(data.GetProperty("due_at").GetRawText(), createdData.GetProperty("due_at").GetRawText());
            Assert.Equal(data.GetProperty("ticket").GetRawText(), createdData.GetProperty("ticket").GetRawText());
            Assert.Equal(data.GetProperty("counts").GetRawText(), createdData.GetProperty("counts").GetRawText());
        }
        finally
        {
            await _app.UnsubscribeAsync(webhook);
        }
    }

    [Fact]
    public async Task AReceiverThatFailsTwice_GetsEachEventAThirdTime_WithTheSameWebhookId_AndTheRequestsOrderHolds()
    {
        var (webhook, secret) = await _app.SubscribeAsync("flaky", WebhookEvents.Created, WebhookEvents.InProgress, WebhookEvents.Completed);
        try
        {
            var id = await Erasures.CreateAsync(_client, ["hook-flaky"]);
            await Erasures.WaitForAsync(_client, [id], "completed");
            var calls = (await _app.Receiver.WaitForAsync(c => c.Delivered("/flaky", id).Count == 3))
                .Where(c => c.Path == "/flaky" && c.RequestId() == id).ToList();

            Assert.Equal([WebhookEvents.Created, WebhookEvents.InProgress, WebhookEvents.Completed], calls.Delivered("/flaky", id));
            var byEvent = calls.GroupBy(c => c.Header("webhook-id")).ToList();
            Assert.Equal(3, byEvent.Count);
            foreach (var attempts in byEvent)
            {
                Assert.Equal([500, 500, 204], attempts.Select(a => a.Status));
                Assert.Single(attempts.Select(a => a.Text).Distinct());
                Assert.All(attempts, a => Assert.True(StandardWebhooksVerifier.Verifies(secret, a)));
            }
            // A later event is not sent before the earlier one got through: arrivals never interleave.
            Assert.Equal(calls.Select(c => c.Header("webhook-id")), byEvent.SelectMany(g => g.Select(c => c.Header("webhook-id"))));

            var deliveries = await (await _app.ClientFor(TestKeys.Admin).GetAsync($"/api/v1/webhooks/{webhook}/deliveries")).JsonAsync(HttpStatusCode.OK);
            var listed = deliveries.GetProperty("data").EnumerateArray().Where(d => d.Str("request_id") == id).ToList();
            Assert.Equal(3, listed.Count);
            Assert.All(listed, d =>
            {
                Assert.Equal("delivered", d.Str("state"));
                Assert.Equal(3, d.GetProperty("attempt_count").GetInt32());
                Assert.Equal([500, 500, 204], d.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("status_code").GetInt32()));
                Assert.StartsWith("msg_", d.Str("message_id"));
            });
        }
        finally
        {
            await _app.UnsubscribeAsync(webhook);
        }
    }

    [Fact]
    public async Task ADeliveryThatFailsForGood_IsOnTheDashboardAndInTheTrail_UntilRedelivered()
    {
        var admin = _app.ClientFor(TestKeys.Admin);
        var (webhook, secret) = await _app.SubscribeAsync("gone", WebhookEvents.Created);
        try
        {
            var before = (await Summary()).GetProperty("failed_webhook_deliveries").GetInt64();
            var id = await CreateAsync("""{"user_ids": ["hook-gone"], "type": "suppress", "requested_by": "t"}""");
            JsonElement failed = default;
            await Until(async () =>
            {
                var page = await (await admin.GetAsync($"/api/v1/webhooks/{webhook}/deliveries?state=failed")).JsonAsync(HttpStatusCode.OK);
                failed = page.GetProperty("data").EnumerateArray().FirstOrDefault(d => d.Str("request_id") == id);
                return failed.ValueKind == JsonValueKind.Object;
            });
            Assert.Equal(410, failed.GetProperty("last_status").GetInt32());
            Assert.Equal(1, failed.GetProperty("attempt_count").GetInt32());
            Assert.Equal(before + 1, (await Summary()).GetProperty("failed_webhook_deliveries").GetInt64());
            var timeline = (await (await _client.GetAsync($"/api/v1/erasure-requests/{id}")).JsonAsync(HttpStatusCode.OK)).GetProperty("timeline");
            Assert.Contains(timeline.EnumerateArray(), e => e.Str("action") == "webhook.delivery_failed");

            var deliveryId = failed.GetProperty("id").GetInt64();
            var again = await (await admin.PostAsync($"/api/v1/webhooks/{webhook}/deliveries/{deliveryId}/redeliver", null)).JsonAsync(HttpStatusCode.Accepted);
            Assert.Equal(failed.Str("message_id"), again.Str("message_id"));
            Assert.Equal(deliveryId, again.GetProperty("redelivery_of").GetInt64());
            var calls = await _app.Receiver.WaitForAsync(c => c.Any(x => x.Path == "/gone" && x.Status == 200 && x.RequestId() == id));
            var sent = calls.Where(c => c.Path == "/gone" && c.RequestId() == id).ToList();
            Assert.Equal([410, 200], sent.Select(c => c.Status));
            Assert.Single(sent.Select(c => c.Header("webhook-id")).Distinct());
            Assert.All(sent, c => Assert.True(StandardWebhooksVerifier.Verifies(secret, c)));
            await Until(async () => (await (await admin.GetAsync($"/api/v1/webhooks/{webhook}/deliveries?state=delivered")).JsonAsync(HttpStatusCode.OK))
                .GetProperty("data").EnumerateArray().Any(d => d.GetProperty("id").GetInt64() == again.GetProperty("id").GetInt64()));

            // Sending it again is allowed once it is settled (and, being audited, refreshes the summary, which no longer
            // counts an event that reached its webhook since); while that one is open, a further one is refused.
            await (await admin.PostAsync($"/api/v1/webhooks/{webhook}/deliveries/{deliveryId}/redeliver", null)).JsonAsync(HttpStatusCode.Accepted);
            Assert.Equal(before, (await Summary()).GetProperty("failed_webhook_deliveries").GetInt64());
            await (await admin.PostAsync($"/api/v1/webhooks/{webhook}/deliveries/{deliveryId}/redeliver", null)).ProblemAsync(HttpStatusCode.Conflict, "delivery_id");
            await (await admin.PostAsync($"/api/v1/webhooks/{Guid.NewGuid()}/deliveries/{deliveryId}/redeliver", null)).ProblemAsync(HttpStatusCode.NotFound, "id");
            await (await admin.PostAsync($"/api/v1/webhooks/{webhook}/deliveries/999999999/redeliver", null)).ProblemAsync(HttpStatusCode.NotFound, "delivery_id");
        }
        finally
        {
            await _app.UnsubscribeAsync(webhook);
        }
    }

    [Fact]
    public async Task ARedelivery_WhileABatchSettlesItsRequest_WaitsForTheBatch_InsteadOfDeadlockingWithIt()
    {
        var admin = _app.ClientFor(TestKeys.Admin);
        var (webhook, _) = await _app.SubscribeAsync("lock-order", WebhookEvents.Created);
        try
        {
            var id = await CreateAsync("""{"user_ids": ["hook-lock-order"], "type": "suppress", "requested_by": "t"}""");
            JsonElement delivered = default;
            await Until(async () =>
            {
                var page = await (await admin.GetAsync($"/api/v1/webhooks/{webhook}/deliveries?state=delivered")).JsonAsync(HttpStatusCode.OK);
                delivered = page.GetProperty("data").EnumerateArray().FirstOrDefault(d => d.Str("request_id") == id);
                return delivered.ValueKind == JsonValueKind.Object;
            });

            // A batch settling the request, as RequestProgress does: the request's row first, then the ledger lock.
            await using var batch = new NpgsqlConnection(DatabaseRoles.AsService(_app.ConnectionString));
            await batch.OpenAsync();
            await using var transaction = await batch.BeginTransactionAsync();
            await using (var row = new NpgsqlCommand("SELECT 1 FROM privacy.erasure_requests WHERE id = $1 FOR UPDATE", batch, transaction))
            {
                row.Parameters.AddWithValue(Guid.Parse(id));
                await row.ExecuteNonQueryAsync();
            }
            var redelivery = admin.PostAsync($"/api/v1/webhooks/{webhook}/deliveries/{delivered.GetProperty("id").GetInt64()}/redeliver", null);
            await using (var observer = new NpgsqlConnection(_app.ConnectionString))
            {
                await observer.OpenAsync();
                await using var waiting = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid)))", observer);
                waiting.Parameters.AddWithValue(batch.ProcessID);
                await Until(async () => (bool)(await waiting.ExecuteScalarAsync())!);
            }
            // The redelivery now waits for the row. Had it taken the ledger lock first, this would be a deadlock: one of
            // the two aborted after deadlock_timeout (the redelivery answering 500).
            await using (var ledger = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({LedgerLock.Key})", batch, transaction))
                await ledger.ExecuteNonQueryAsync();
            await transaction.CommitAsync();

            var again = await (await redelivery).JsonAsync(HttpStatusCode.Accepted);
            Assert.Equal(delivered.Str("message_id"), again.Str("message_id"));
        }
        finally
        {
            await _app.UnsubscribeAsync(webhook);
        }
    }

    [Fact]
    public async Task AReceiverThatNeverAnswers_HoldsUpNoErasure()
    {
        var (webhook, _) = await _app.SubscribeAsync("slow", WebhookEvents.All);
        try
        {
            var ids = new List<string>();
            for (var i = 0; i < 5; i++)
                ids.Add(await Erasures.CreateAsync(_client, [$"hook-slow-{i}"]));
            await Erasures.WaitForAsync(_client, ids, "completed", TimeSpan.FromSeconds(60));
            await _app.Receiver.WaitForAsync(c => c.Count(x => x.Path == "/slow") >= 5);
            var page = await (await _app.ClientFor(TestKeys.Admin).GetAsync($"/api/v1/webhooks/{webhook}/deliveries?limit=500")).JsonAsync(HttpStatusCode.OK);
            Assert.DoesNotContain(page.GetProperty("data").EnumerateArray(), d => d.Str("state") == "delivered");
        }
        finally
        {
            await _app.UnsubscribeAsync(webhook);
        }
    }

    [Fact]
    public async Task ACallbackUrl_GetsItsRequestsEvents_SignedWithTheFilingKeysCallbackSecret()
    {
        var writer = _app.ClientFor(TestKeys.Writer);
        var first = await (await writer.PostAsync("/api/v1/webhooks/callback-secret", null)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(TestKeys.Writer.Name, first.Str("key_name"));
        var rotated = await (await writer.PostAsync("/api/v1/webhooks/callback-secret", null)).JsonAsync(HttpStatusCode.Created);
        Assert.NotEqual(first.Str("secret"), rotated.Str("secret"));

        var body = JsonSerializer.Serialize(new { user_ids = new[] { "hook-callback" }, requested_by = "t", callback_url = _app.Receiver.Url("callback") });
        var id = (await (await writer.PostJsonAsync("/api/v1/erasure-requests", body)).JsonAsync(HttpStatusCode.Created)).Str("id");
        var calls = (await _app.Receiver.WaitForAsync(c => c.Delivered("/callback", id).Count == 3)).Where(c => c.Path == "/callback").ToList();
        Assert.Equal([WebhookEvents.Created, WebhookEvents.InProgress, WebhookEvents.Completed], calls.Delivered("/callback", id));
        Assert.All(calls, c =>
        {
            Assert.True(StandardWebhooksVerifier.Verifies(rotated.Str("secret"), c));
            Assert.False(StandardWebhooksVerifier.Verifies(first.Str("secret"), c));
            Assert.DoesNotContain("hook-callback", c.Text);
        });

        // A key without a callback secret cannot name a callback_url; the refusal writes nothing.
        var count = await _app.CountAsync("erasure_requests");
        await (await _client.PostJsonAsync("/api/v1/erasure-requests", body)).ProblemAsync(HttpStatusCode.BadRequest, "callback_url");
        foreach (var bad in new[] { "ftp://example.com/x", "not a url", "http://user:pw@example.com/", "/relative" })
            await (await writer.PostJsonAsync("/api/v1/erasure-requests", JsonSerializer.Serialize(new { user_ids = new[] { "x" }, requested_by = "t", callback_url = bad })))
                .ProblemAsync(HttpStatusCode.BadRequest, "callback_url");
        Assert.Equal(count, await _app.CountAsync("erasure_requests"));
    }

    [Fact]
    public async Task TheAdminEndpoints_ShowTheSecretOnce_ListDeleteAndRefuseBadInput()
    {
        var admin = _app.ClientFor(TestKeys.Admin);
        var created = await (await admin.PostJsonAsync("/api/v1/webhooks", $$"""{"url": "{{_app.Receiver.Url("admin")}}", "events": ["request.completed", "request.created"]}"""))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", created.Str("secret"));
        Assert.Equal(["request.created", "request.completed"], created.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        var id = created.Str("id");

        var list = await (await admin.GetAsync("/api/v1/webhooks")).JsonAsync(HttpStatusCode.OK);
        var listed = Assert.Single(list.GetProperty("data").EnumerateArray(), w => w.Str("id") == id);
        Assert.False(listed.TryGetProperty("secret", out _));
        Assert.DoesNotContain(created.Str("secret"), list.ToString());
        Assert.Equal(TestKeys.Admin.Name, listed.Str("created_by"));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);
        Assert.DoesNotContain((await (await admin.GetAsync("/api/v1/webhooks")).JsonAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray(), w => w.Str("id") == id);
        await (await admin.GetAsync($"/api/v1/webhooks/{id}/deliveries")).JsonAsync(HttpStatusCode.OK);
        await (await admin.DeleteAsync($"/api/v1/webhooks/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound, "id");
        await (await admin.DeleteAsync("/api/v1/webhooks/not-a-guid")).ProblemAsync(HttpStatusCode.NotFound, "id");
        await (await admin.GetAsync($"/api/v1/webhooks/{Guid.NewGuid()}/deliveries")).ProblemAsync(HttpStatusCode.NotFound, "id");
        await (await admin.GetAsync($"/api/v1/webhooks/{id}/deliveries?state=lost")).ProblemAsync(HttpStatusCode.BadRequest, "state");
        await (await admin.GetAsync($"/api/v1/webhooks/{id}/deliveries?limit=0")).ProblemAsync(HttpStatusCode.BadRequest, "limit");
        await (await admin.GetAsync("/api/v1/webhooks?x=1")).ProblemAsync(HttpStatusCode.BadRequest, "x");

        var count = await _app.CountAsync("webhooks");
        var url = _app.Receiver.Url("admin");
        (string Body, string Field)[] bad =
        [
            ($$"""{"url": "{{url}}", "events": []}""", "events"),
            ($$"""{"url": "{{url}}"}""", "events"),
            ($$"""{"url": "{{url}}", "events": ["request.deleted"]}""", "events"),
            ($$"""{"url": "{{url}}", "events": ["request.created", "request.created"]}""", "events"),
            ($$"""{"url": "{{url}}", "events": [null]}""", "events"),
            ($$"""{"url": "{{url}}", "events": "request.created"}""", "events"),
            ("""{"events": ["request.created"]}""", "url"),
            ("""{"url": "", "events": ["request.created"]}""", "url"),
            ("""{"url": "ftp://example.com/x", "events": ["request.created"]}""", "url"),
            ("""{"url": "http://user:secret@example.com/", "events": ["request.created"]}""", "url"),
            ($$"""{"url": "http://example.com/{{new string('x', 3000)}}", "events": ["request.created"]}""", "url"),
            ("""{"url": 12, "events": ["request.created"]}""", "url"),
            ($$"""{"url": "{{url}}", "events": ["request.created"], "secret": "whsec_mine"}""", "secret"),
            ($$"""{"url": "{{url}}", "url": "{{url}}", "events": ["request.created"]}""", "url"),
        ];
        foreach (var (body, field) in bad)
            await (await admin.PostJsonAsync("/api/v1/webhooks", body)).ProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal(count, await _app.CountAsync("webhooks"));
    }

    async Task<string> CreateAsync(string body) =>
        (await (await _client.PostJsonAsync("/api/v1/erasure-requests", body)).JsonAsync(HttpStatusCode.Created)).Str("id");

    async Task<JsonElement> Summary() => await (await _client.GetAsync("/api/v1/dashboard/summary")).JsonAsync(HttpStatusCode.OK);

    static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(200);
        }
    }
}
