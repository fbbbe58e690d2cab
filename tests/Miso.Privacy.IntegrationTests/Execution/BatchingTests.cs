using System.Net;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Execution;

/// <summary>A window long enough for the whole burst of requests to arrive, so batches are full.</summary>
public sealed class BatchingApp : ExecutionApp
{
    public BatchingApp() => ExtraSettings["Execution:BatchWindow"] = "00:00:08";
}

[Collection(ExecutionCollection.Name)]
public sealed class BatchingTests(BatchingApp app) : IClassFixture<BatchingApp>
{
    [Fact]
    public async Task Drain_Erases2500UsersAcross40Requests_InBothEnvironments_InFullBatches()
    {
        var client = app.ClientFor(TestKeys.All);
        var users = Enumerable.Range(0, 2500).Select(i => $"bulk-{i}").ToList();
        await app.SeedInteractionsAsync(users);
        var before = await CallCountsAsync();

        var ids = new List<string>();
        foreach (var chunk in users.Chunk(63))
            ids.Add(await Erasures.CreateAsync(client, chunk));
        Assert.Equal(40, ids.Count);
        var done = await Erasures.WaitForAsync(client, ids, "completed");

        foreach (var environment in app.Emulator.Environments)
        {
            foreach (var user in users.Where((_, i) => i % 50 == 0))
                Assert.Empty(await app.Inspector.GetInteractionsAsync(environment.Name, user));
            var stats = await app.Inspector.GetStatsAsync(environment.Name);
            Assert.Equal(0, stats.Interactions);
            var deleteCalls = stats.DeleteCalls - before[environment.Name];
            Assert.InRange(deleteCalls, 5, (long)Math.Ceiling(2500 / 500.0) + 1);
            Assert.DoesNotContain(await app.Inspector.GetUsersAsync(environment.Name), u => users.Contains(u.GetProperty("user_id").GetString()!));
        }
        Assert.All(done.Values, r => Assert.Contains(r.GetProperty("timeline").EnumerateArray(), e => e.Str("action") == "request.completed"));
        var verify = await (await client.GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("intact").GetBoolean());
    }

    async Task<Dictionary<string, long>> CallCountsAsync()
    {
        var counts = new Dictionary<string, long>();
        foreach (var environment in app.Emulator.Environments)
            counts[environment.Name] = (await app.Inspector.GetStatsAsync(environment.Name)).DeleteCalls;
        return counts;
    }
}
