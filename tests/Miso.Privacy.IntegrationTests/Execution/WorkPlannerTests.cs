using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Execution;

/// <summary>
/// A backlog is planned oldest first, a chunk of about 5,000 user ids per transaction, so the first items can be claimed
/// while the rest is planned; and one planner works at a time, so overlapping drain passes never plan the same request twice.
/// </summary>
public sealed class WorkPlannerTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    [Fact]
    public async Task ABacklog_IsPlannedOldestFirst_AChunkAtATime()
    {
        var client = app.ClientFor(TestKeys.All);
        var requests = new List<Guid>();
        for (var r = 0; r < 3; r++)
            requests.Add(Guid.Parse(await Erasures.CreateAsync(client, Enumerable.Range(0, 3_000).Select(i => $"backlog-{r}-{i}-{Guid.NewGuid():N}"))));

        // 3,000 + 3,000 ids start before the 5,000 mark; the third request waits for the next chunk.
        Assert.Equal(2, await PlanAsync());
        Assert.Equal(new[] { 12_000, 12_000, 0 }, await WorkItemsAsync(requests));
        Assert.Equal(1, await PlanAsync());
        Assert.Equal(new[] { 12_000, 12_000, 12_000 }, await WorkItemsAsync(requests));
        Assert.Equal(0, await PlanAsync());
    }

    [Fact]
    public async Task APlannerThatFindsAnotherAtWork_PlansNothing()
    {
        var client = app.ClientFor(TestKeys.All);
        var request = Guid.Parse(await Erasures.CreateAsync(client, [$"second-planner-{Guid.NewGuid():N}"]));

        await using (var holder = app.NewDb())
        {
            await using var transaction = await holder.Database.BeginTransactionAsync();
            await holder.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({WorkPlanner.LockClass}, 0)");
            Assert.Equal(0, await PlanAsync());
            Assert.Equal(new[] { 0 }, await WorkItemsAsync([request]));
        }

        Assert.Equal(1, await PlanAsync());
        Assert.Equal(new[] { 4 }, await WorkItemsAsync([request]));
    }

    async Task<int> PlanAsync()
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<WorkPlanner>().PlanAsync(default);
    }

    async Task<int[]> WorkItemsAsync(IReadOnlyList<Guid> requests)
    {
        await using var db = app.NewDb();
        var counts = await db.WorkItems.Where(w => requests.Contains(w.RequestId)).GroupBy(w => w.RequestId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        return requests.Select(r => counts.GetValueOrDefault(r)).ToArray();
    }
}
