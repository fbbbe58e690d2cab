using System.Diagnostics;
using System.Net;
using Miso.Emulator.Examples;
using Miso.Emulator.Faults;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Faults;

public sealed class FaultTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    static readonly string OneRecord = MisoRequests.Batch([MisoRequests.ValidRecord(0)]);

    [Fact]
    public async Task Latency_DelaysMisoCalls_ByAtLeastTheConfiguredTime()
    {
        await Inspector.SetFaultsAsync(new() { LatencyMs = 200, LatencyJitterMs = 50 });

        var stopwatch = Stopwatch.StartNew();
        using var response = await Client.UploadAsync(OneRecord);
        stopwatch.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(stopwatch.ElapsedMilliseconds >= 200, $"took {stopwatch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task ErrorRate_FailsAboutThatShareOfCalls_WithConfiguredStatusesAndMisoBody()
    {
        await Inspector.SetFaultsAsync(new() { ErrorRate = 0.3, ErrorStatuses = [500, 502, 503] });

        var statuses = new List<int>();
        foreach (var chunk in Enumerable.Range(0, 1000).Chunk(50))
            statuses.AddRange(await Task.WhenAll(chunk.Select(async _ =>
            {
                using var response = await Client.UploadAsync(OneRecord);
                if (response.StatusCode != HttpStatusCode.OK)
                    Assert.False(string.IsNullOrEmpty((await response.JsonAsync()).GetProperty("message").GetString()));
                return (int)response.StatusCode;
            })));

        var failures = statuses.Where(s => s != 200).ToList();
        Assert.InRange(failures.Count, 230, 370);
        Assert.All(failures, s => Assert.Contains(s, new[] { 500, 502, 503 }));
        Assert.Equal(1000 - failures.Count, (await Inspector.GetStatsAsync()).Uploads);
    }

    [Fact]
    public async Task RateLimit_Returns429WithRetryAfter_AboveTheRate()
    {
        await Inspector.SetFaultsAsync(new() { RateLimitPerSecond = 5 });

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Client.UploadAsync(OneRecord)));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, r => Assert.Equal(["1"], r.Headers.GetValues("Retry-After")));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        foreach (var response in responses)
            response.Dispose();
    }

    [Fact]
    public async Task Outage_Returns503ForEveryCall_ThenRecovers()
    {
        await Inspector.SetFaultsAsync(new() { OutageSeconds = 1 });

        using (var during = await Client.UploadAsync(OneRecord))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        using (var deleteDuring = await Client.DeleteInteractionsAsync(["a"]))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, deleteDuring.StatusCode);

        var recovered = false;
        for (var attempt = 0; attempt < 50 && !recovered; attempt++)
        {
            await Task.Delay(100);
            using var response = await Client.UploadAsync(OneRecord);
            recovered = response.StatusCode == HttpStatusCode.OK;
        }
        Assert.True(recovered);
    }

    [Fact]
    public async Task Faults_ApplyOnlyToTheNamedEnvironment()
    {
        await Inspector.SetFaultsAsync(new() { Environment = "development", ErrorRate = 1, ErrorStatuses = [502] });

        using var development = await Client.UploadAsync(OneRecord, Development.SecretKey);
        using var production = await Client.UploadAsync(OneRecord, Production.SecretKey);

        Assert.Equal(HttpStatusCode.BadGateway, development.StatusCode);
        Assert.Equal(HttpStatusCode.OK, production.StatusCode);
        var faults = Assert.Single(await Inspector.GetFaultsAsync());
        Assert.Equal("development", faults.Environment);
    }

    [Fact]
    public async Task Faults_NeverApplyToInspectionRoutes_AndClearRestoresService()
    {
        await Inspector.SetFaultsAsync(new() { OutageSeconds = 60 });

        var stats = await Inspector.GetStatsAsync();
        await Inspector.ClearFaultsAsync();
        using var response = await Client.UploadAsync(OneRecord);

        Assert.Equal(0, stats.Uploads);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task FailedCalls_AreLoggedWithTheirStatusAndUserIds()
    {
        await Inspector.SetFaultsAsync(new() { OutageSeconds = 60 });

        (await Client.DeleteInteractionsAsync(["a", "b"])).Dispose();

        var call = Assert.Single(await Inspector.GetCallsAsync("production"));
        Assert.Equal(503, call.Status);
        Assert.Equal(["a", "b"], call.UserIds);
    }

    [Theory]
    [InlineData("""{"error_rate": 1.5}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"error_statuses": [200]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"environment": "staging"}""", HttpStatusCode.NotFound)]
    public async Task SetFaults_RejectsInvalidSettings(string body, HttpStatusCode expected)
    {
        using var response = await Client.PostAsync("_emulator/faults", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
        Assert.Empty(await Inspector.GetFaultsAsync());
    }

    [Fact]
    public async Task Faults_FromSettingsAtStart_ApplyImmediately()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorSettings
        {
            Faults = new FaultSettings { Environment = "production", OutageSeconds = 60 },
        });
        using var client = server.CreateClient();

        using var production = await client.UploadAsync(OneRecord, Production.SecretKey);
        using var development = await client.UploadAsync(OneRecord, Development.SecretKey);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, production.StatusCode);
        Assert.Equal(HttpStatusCode.OK, development.StatusCode);
    }

    public static TheoryData<string> Operations => MisoDocument.OperationNames();

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Faults_ApplyToEveryRouteOfMisosDocument_AndChangeNothing(string name)
    {
        var questionId = await MisoExamples.SeedAsync(Client);
        await Inspector.SetFaultsAsync(new() { RateLimitPerSecond = 1_000, OutageSeconds = 60 });

        using var response = await Client.SendAsync(MisoExamples.Request(name, questionId, Production.SecretKey));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await response.JsonAsync()).GetProperty("message").GetString()));
        Assert.Equal(3, (await Inspector.GetProductsAsync()).Count);
        Assert.Single(await Inspector.GetUsersAsync());
        Assert.Equal(2, (await Inspector.GetInteractionsAsync()).Count);
    }

    [Fact]
    public async Task RateLimit_CountsEngineCallsToo()
    {
        await Inspector.SetFaultsAsync(new() { RateLimitPerSecond = 2 });

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Client.PostAsync("v1/search/search", """{"q": "x"}""")));

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        foreach (var response in responses)
            response.Dispose();
    }
}
