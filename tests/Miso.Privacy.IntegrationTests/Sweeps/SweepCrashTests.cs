using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Miso.Emulator;
using Miso.Privacy.Execution;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Sweeps;

/// <summary>Once armed, stops the next batch after Miso answered and before its outcome commits, as a crash would.</summary>
sealed class StopNextCallOnceArmed : ExecutionFaults
{
    int _stopped;
    public volatile bool Armed;
    public readonly TaskCompletionSource Reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task AfterMisoCallAsync(ClaimedBatch batch, CancellationToken ct)
    {
        if (!Armed || Interlocked.Exchange(ref _stopped, 1) == 1)
            return;
        Reached.TrySetResult();
        await Task.Delay(Timeout.Infinite, ct);
    }
}

[Collection(ExecutionCollection.Name)]
public sealed class SweepCrashTests
{
    [Fact]
    public async Task HostDiesMidSweep_AnotherHostFinishesIt_EachSweepRecordedOnce_AndShredsOnce()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var faults = new StopNextCallOnceArmed();
        var first = Host(faults, emulator);
        await first.InitializeAsync();
        var second = Host(null, emulator);
        second.ConnectionString = first.ConnectionString;
        var users = Enumerable.Range(0, 5).Select(i => $"sweep-crash-{i}").ToList();
        try
        {
            var id = await Erasures.CreateAsync(first.ClientFor(TestKeys.All), users);
            await Erasures.WaitForAsync(first.ClientFor(TestKeys.All), [id], "completed");
            // Only sweeps are left: the next call the drain makes is one.
            faults.Armed = true;
            await ExecutionApp.SeedAsync(emulator, users);
            await faults.Reached.Task.WaitAsync(TimeSpan.FromSeconds(120));
            await first.DisposeAsync(); // the sweep batch in flight never records its outcome

            await second.InitializeAsync();
            var client = second.ClientFor(TestKeys.All);
            var deadline = DateTime.UtcNow.AddSeconds(120);
            System.Text.Json.JsonElement detail;
            while ((detail = await (await client.GetAsync($"/api/v1/erasure-requests/{id}")).JsonAsync(HttpStatusCode.OK))
                   .GetProperty("shredded_at").ValueKind == System.Text.Json.JsonValueKind.Null)
            {
                Assert.True(DateTime.UtcNow < deadline, detail.ToString());
                await Task.Delay(250);
            }

            var actions = detail.GetProperty("timeline").EnumerateArray().Select(e => e.Str("action")).ToList();
            Assert.Equal(2, actions.Count(a => a == "request.swept"));
            Assert.Single(actions, a => a == "request.shredded");
            Assert.Single(actions, a => a == "request.completed");
            Assert.All(detail.GetProperty("sweeps").EnumerateArray(), s => Assert.Equal(("deleted", 20, 0),
                (s.Str("state"), s.GetProperty("deleted").GetInt32(), s.GetProperty("failed").GetInt32())));
            await using var db = second.NewDb();
            var items = await db.SweepItems.Where(i => i.RequestId == Guid.Parse(id)).ToListAsync();
            Assert.Equal(users.Count * 4 * 2, items.Count);
            Assert.All(items, i => Assert.Equal(WorkItemState.Deleted, i.State));
            Assert.Contains(items, i => i.Attempts == 2);
            foreach (var environment in emulator.Environments)
                foreach (var user in users)
                    Assert.Empty(await emulator.CreateInspector().GetInteractionsAsync(environment.Name, userId: user));
            var verify = await (await client.GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK);
            Assert.True(verify.GetProperty("intact").GetBoolean());
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    static ExecutionApp Host(ExecutionFaults? faults, EmulatorServer emulator)
    {
        var app = new ExecutionApp { SharedEmulator = emulator };
        app.ExtraSettings["Execution:Lease"] = "00:00:03";
        app.ExtraSettings["Execution:Sweeps"] = "00:00:03, 00:00:06";
        if (faults is not null)
            app.TestServices = services => services.AddSingleton(faults);
        return app;
    }
}
