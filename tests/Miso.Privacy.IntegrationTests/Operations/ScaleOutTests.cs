using System.Net;
using System.Text;
using Miso.Emulator;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Operations;

/// <summary>
/// Two instances, each with its Hangfire server, over one database, under erasures and uploads mixed
/// across them: every request completes once, no id is sent twice, the shared rate holds, no erased
/// user's upload leaks, and everyone else's gets through.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class ScaleOutTests
{
    const int Rate = 10;

    [Fact]
    public async Task TwoInstancesUnderMixedLoad_BehaveAsOne()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var a = Host(emulator);
        await a.InitializeAsync();
        await using var b = Host(emulator);
        b.ConnectionString = a.ConnectionString;
        await b.InitializeAsync();
        var publishable = emulator.GetEnvironment("production").PublishableKey;

        var ids = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            var (eraser, uploader) = i % 2 == 0 ? (a, b) : (b, a);
            ids.Add(await Erasures.CreateAsync(eraser.ClientFor(TestKeys.All), [$"scale-{i}"]));
            using var upload = await UploadAsync(uploader, publishable, $"scale-{i}", $"keep-{i}");
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
            // A publishable key is told nothing of what was dropped; what reached Miso is checked below.
            Assert.False(upload.Headers.Contains("X-Miso-Privacy-Dropped"));
        }
        var done = await Erasures.WaitForAsync(a.ClientFor(TestKeys.All), ids, "completed");

        Assert.All(done.Values, r => Assert.Single(r.GetProperty("timeline").EnumerateArray(), e => e.Str("action") == "request.completed"));
        var inspector = emulator.CreateInspector();
        var stored = (await inspector.GetInteractionsAsync("production")).Select(r => r.GetProperty("user_id").GetString()).ToList();
        Assert.DoesNotContain(stored, u => u!.StartsWith("scale-"));
        Assert.Equal(200, stored.Count(u => u!.StartsWith("keep-")));
        foreach (var environment in emulator.Environments)
        {
            var deletes = (await inspector.GetCallsAsync(environment.Name, 100_000)).Where(CallLog.IsDelete).ToList();
            foreach (var path in new[] { "/v1/interactions", "/v1/users/_delete" })
            {
                var sent = deletes.Where(c => c.Path == path && c.Status == 200).SelectMany(c => c.UserIds).ToList();
                Assert.Equal(200, sent.Count);
                Assert.Equal(200, sent.Distinct().Count());
            }
            Assert.InRange(CallLog.MaxInAnySecond(deletes), 1, Rate);
        }
    }

    static Task<HttpResponseMessage> UploadAsync(ExecutionApp host, string key, string erased, string kept)
    {
        var body = $$"""{"data": [{"type": "home_page_view", "user_id": "{{erased}}"}, {"type": "home_page_view", "user_id": "{{kept}}"}]}""";
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/interactions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-KEY", key);
        return host.CreateClient().SendAsync(request);
    }

    static ExecutionApp Host(EmulatorServer emulator)
    {
        var app = new ExecutionApp { SharedEmulator = emulator };
        app.ExtraSettings["Execution:MaxCallsPerSecond"] = Rate.ToString();
        app.ExtraSettings["Execution:BatchSize"] = "20";
        return app;
    }
}
