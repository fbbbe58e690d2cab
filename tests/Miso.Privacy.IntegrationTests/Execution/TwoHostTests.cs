using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Execution;

[Collection(ExecutionCollection.Name)]
public sealed class TwoHostTests
{
    const int Rate = 10;

    [Fact]
    public async Task TwoHostsDrainingOneDatabase_SendEachIdOnce_StayUnderTheSharedRate_AndCompleteEverything()
    {
        await using var a = Host();
        await a.InitializeAsync();
        await using var b = Host();
        b.ConnectionString = a.ConnectionString;
        b.SharedEmulator = a.Emulator;
        await b.InitializeAsync();
        _ = b.Services; // start B's Hangfire server too

        var users = Enumerable.Range(0, 1000).Select(i => $"two-hosts-{i}").ToList();
        var ids = new List<string>();
        foreach (var (chunk, i) in users.Chunk(50).Select((c, i) => (c, i)))
            ids.Add(await Erasures.CreateAsync((i % 2 == 0 ? a : b).ClientFor(TestKeys.All), chunk));
        await Erasures.WaitForAsync(a.ClientFor(TestKeys.All), ids, "completed");

        foreach (var environment in a.Emulator.Environments)
        {
            var calls = (await a.Inspector.GetCallsAsync(environment.Name, 100_000)).Where(CallLog.IsDelete).ToList();
            foreach (var path in new[] { "/v1/interactions", "/v1/users/_delete" })
            {
                var sent = calls.Where(c => c.Path == path).SelectMany(c => c.UserIds).ToList();
                Assert.Equal(users.Count, sent.Count);
                Assert.Equal(users.Order(), sent.Order());
            }
            Assert.InRange(CallLog.MaxInAnySecond(calls), 1, Rate);
        }
    }

    static ExecutionApp Host()
    {
        var app = new ExecutionApp();
        app.ExtraSettings["Execution:MaxCallsPerSecond"] = Rate.ToString();
        app.ExtraSettings["Execution:BatchSize"] = "100";
        return app;
    }
}
