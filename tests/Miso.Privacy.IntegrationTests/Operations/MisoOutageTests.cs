using Miso.Emulator.Faults;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Operations;

/// <summary>Job retries spaced like production's (doubling, capped), only shorter: they outlast a minute of Miso being down.</summary>
public sealed class OutageApp : ExecutionApp
{
    public OutageApp()
    {
        ExtraSettings["Execution:BatchSize"] = "25";
        ExtraSettings["Execution:MaxCallsPerSecond"] = "8";
        ExtraSettings["Execution:RetryBaseDelay"] = "00:00:02";
        ExtraSettings["Execution:RetryMaxDelay"] = "00:00:20";
    }
}

[Collection(ExecutionCollection.Name)]
[Trait(RunsAlongside.Trait, RunsAlongside.Yes)]
public sealed class MisoOutageTests(OutageApp app) : IClassFixture<OutageApp>
{
    [Fact]
    public async Task AMinuteLongMisoOutageMidDrain_DelaysButLosesNothing()
    {
        var client = app.ClientFor(TestKeys.All);
        var users = Enumerable.Range(0, 600).Select(i => $"outage-{i}").ToList();
        await app.SeedInteractionsAsync(users);
        var ids = new List<string>();
        foreach (var chunk in users.Chunk(50))
            ids.Add(await Erasures.CreateAsync(client, chunk));

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await app.Inspector.GetStatsAsync()).DeleteCalls == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        await app.Inspector.SetFaultsAsync(new FaultSettings { OutageSeconds = 60 });
        var outageStarted = DateTimeOffset.UtcNow;

        var done = await Erasures.WaitForAsync(client, ids, "completed", TimeSpan.FromMinutes(5));

        Assert.All(done.Values, r => Assert.DoesNotContain(r.GetProperty("timeline").EnumerateArray(), e => e.Str("action") == "request.failed"));
        var calls = await app.Inspector.GetCallsAsync(null, 100_000);
        Assert.Contains(calls, c => c.Status == 503 && c.Time > outageStarted);
        Assert.Contains(calls, c => c.Status == 200 && c.Time > outageStarted.AddSeconds(60));
        foreach (var environment in app.Emulator.Environments)
            Assert.Equal(0, (await app.Inspector.GetStatsAsync(environment.Name)).Interactions);
    }
}
