using System.Net;
using Microsoft.Extensions.Options;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.Subjects;
using Miso.Privacy.Webhooks;

namespace Miso.Privacy.IntegrationTests.Webhooks;

/// <summary>The webhook app as deployed: <c>Webhooks:AllowPrivateNetworks</c> off, so the test's loopback receiver is out of reach.</summary>
public sealed class PrivateNetworksOffApp : WebhookApp
{
    protected override bool AllowPrivateNetworks => false;
}

[Collection(ExecutionCollection.Name)]
public sealed class PrivateNetworkTests(PrivateNetworksOffApp app) : IClassFixture<PrivateNetworksOffApp>
{
    [Fact]
    public async Task LoopbackPrivateAndMetadataDestinations_AreRefusedWhenRegistered_AndWriteNothing()
    {
        var admin = app.ClientFor(TestKeys.Admin);
        var count = await app.CountAsync("webhooks");
        foreach (var url in new[]
        {
            app.Receiver.Url("ssrf"), $"http://localhost:{app.Receiver.Port}/ssrf", $"http://[::1]:{app.Receiver.Port}/ssrf",
            $"http://[::ffff:127.0.0.1]:{app.Receiver.Port}/ssrf", "http://10.0.0.7/hook", "http://169.254.169.254/latest/meta-data",
            "http://100.64.0.1/hook", "http://0.0.0.0/hook", "http://[fd00::1]/hook", "http://[fe80::1]/hook", "http://224.0.0.1/hook",
        })
        {
            var problem = await (await admin.PostJsonAsync("/api/v1/webhooks", $$"""{"url": "{{url}}", "events": ["request.created"]}"""))
                .ProblemAsync(HttpStatusCode.BadRequest, "url");
            Assert.Contains("AllowPrivateNetworks", problem.GetProperty("errors").GetProperty("url")[0].GetString());
        }
        Assert.Equal(count, await app.CountAsync("webhooks"));

        // A request's callback_url is held to the same rule.
        var writer = app.ClientFor(TestKeys.Writer);
        await (await writer.PostAsync("/api/v1/webhooks/callback-secret", null)).JsonAsync(HttpStatusCode.Created);
        var requests = await app.CountAsync("erasure_requests");
        await (await writer.PostJsonAsync("/api/v1/erasure-requests", $$"""{"user_ids": ["ssrf-x"], "requested_by": "t", "callback_url": "{{app.Receiver.Url("ssrf")}}"}"""))
            .ProblemAsync(HttpStatusCode.BadRequest, "callback_url");
        Assert.Equal(requests, await app.CountAsync("erasure_requests"));
    }

    [Fact]
    public async Task AnEndpointWhoseAddressTurnedPrivate_IsRefusedAtConnectTime_AndItsDeliveryFailsWithoutReachingIt()
    {
        // An endpoint that passed the check when registered and now points at loopback (a DNS answer that changed, say):
        // written straight to the table, as registration would have, with a secret the service can open.
        var id = Guid.CreateVersion7();
        var secrets = new SecretBox(Options.Create(new SubjectHashingOptions { SubjectHashKey = TestKeys.SubjectHashKey }));
        await using (var db = app.NewDb())
        {
            db.Webhooks.Add(new Webhook
            {
                Id = id, Url = app.Receiver.Url("rebound"), Events = [WebhookEvents.Created], CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "test",
                SealedSecret = secrets.Seal(WebhookSignature.NewSecret().Key, SecretBox.WebhookOwner(id)),
            });
            await db.SaveChangesAsync();
        }
        try
        {
            var request = await Erasures.CreateAsync(app.ClientFor(TestKeys.All), ["ssrf-rebound"]);
            var admin = app.ClientFor(TestKeys.Admin);
            System.Text.Json.JsonElement failed = default;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (failed.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                Assert.True(DateTime.UtcNow < deadline, "the delivery did not fail");
                await Task.Delay(200);
                var page = await (await admin.GetAsync($"/api/v1/webhooks/{id}/deliveries?state=failed")).JsonAsync(HttpStatusCode.OK);
                failed = page.GetProperty("data").EnumerateArray().FirstOrDefault(d => d.Str("request_id") == request);
            }
            Assert.Equal(1, failed.GetProperty("attempt_count").GetInt32());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, failed.GetProperty("last_status").ValueKind);
            Assert.StartsWith("refused", failed.Str("last_error"));
            Assert.DoesNotContain(app.Receiver.Calls, c => c.Path == "/rebound");
        }
        finally
        {
            await app.UnsubscribeAsync(id.ToString());
        }
    }
}
