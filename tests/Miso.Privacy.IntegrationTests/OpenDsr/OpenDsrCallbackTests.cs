using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.IntegrationTests.Webhooks;

namespace Miso.Privacy.IntegrationTests.OpenDsr;

/// <summary>
/// OpenDSR status callbacks end to end: the real service and its workers carry a request through, and every
/// <c>status_callback_urls</c> entry hears each change, signed with the certificate discovery names, in order, retried.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class OpenDsrCallbackTests : IClassFixture<WebhookApp>
{
    readonly WebhookApp _app;
    readonly ConcurrentDictionary<string, int> _seen = new();

    public OpenDsrCallbackTests(WebhookApp app)
    {
        _app = app;
        // /dsr-flaky refuses each callback twice (the same body has the same signature: PKCS#1 v1.5 is deterministic).
        app.Receiver.Respond = (path, headers, _) =>
            path == "/dsr-flaky" && _seen.AddOrUpdate(headers.GetValueOrDefault("x-opendsr-signature", ""), 1, (_, n) => n + 1) <= 2 ? 503 : 200;
    }

    [Fact]
    public async Task EveryStatusChange_ReachesEachCallbackUrl_SignedInOrder_AndARefusedOneIsRetried()
    {
        var controller = _app.ClientFor(TestKeys.All);
        var verifier = await OpenDsrVerifier.FromDiscoveryAsync(_app.ClientFor(null));
        var id = Guid.NewGuid();
        string[] urls = [_app.Receiver.Url("dsr-steady"), _app.Receiver.Url("dsr-flaky")];
        var body = JsonSerializer.Serialize(new
        {
            subject_request_id = id, subject_request_type = "erasure", regulation = "gdpr",
            submitted_time = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            subject_identities = new[] { new { identity_type = "controller_customer_id", identity_value = "dsr-callback-user", identity_format = "raw" } },
            status_callback_urls = urls,
        });
        var created = await controller.PostJsonAsync("/opendsr/v1/requests", body);
        await verifier.AssertSignedAsync(created);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        string[] expected = ["pending", "in_progress", "completed"];
        List<ReceivedCall> Accepted(List<ReceivedCall> calls, string path) =>
            calls.Where(c => c.Path == path && c.Status == 200).DistinctBy(c => c.Text).ToList();
        var calls = await _app.Receiver.WaitForAsync(c => Accepted(c, "/dsr-steady").Count == 3 && Accepted(c, "/dsr-flaky").Count == 3);

        foreach (var url in urls)
        {
            var path = new Uri(url).AbsolutePath;
            var mine = calls.Where(c => c.Path == path).ToList();
            Assert.All(mine, call =>
            {
                Assert.True(verifier.Verifies(call.Header("x-opendsr-processor-domain"), call.Header("x-opendsr-signature"), call.Body),
                    $"callback to {path} does not verify: {call.Text}");
                Assert.Equal("application/json", call.Header("content-type"));
                Assert.DoesNotContain("dsr-callback-user", call.Text);
                var json = call.Json();
                Assert.Equal((TestKeys.All.Name, id.ToString(), url, "2.0"),
                    (json.Str("controller_id"), json.Str("subject_request_id"), json.Str("status_callback_url"), json.Str("api_version")));
                Assert.True(json.GetProperty("expected_completion_time").TryGetDateTimeOffset(out _));
            });
            Assert.Equal(expected, Accepted(mine, path).Select(c => c.Json().Str("request_status")));
            // Per callback URL, a later status is never sent before the earlier one was accepted.
            var order = mine.Select(c => Array.IndexOf(expected, c.Json().Str("request_status"))).ToList();
            Assert.Equal(order.Order(), order);
        }
        Assert.Equal([503, 503, 200, 503, 503, 200, 503, 503, 200], calls.Where(c => c.Path == "/dsr-flaky").Select(c => c.Status));

        var status = await controller.GetAsync($"/opendsr/v1/requests/{id}");
        Assert.Equal("completed", JsonDocument.Parse(await verifier.AssertSignedAsync(status)).RootElement.Str("request_status"));
    }
}
