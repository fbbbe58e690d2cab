using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Miso.Emulator;
using Miso.Privacy.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Execution;

/// <summary>Stops the first batch after Miso answered and before its outcome commits, as a crash would.</summary>
sealed class StopAfterFirstCall : ExecutionFaults
{
    int _stopped;
    public readonly TaskCompletionSource Reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task AfterMisoCallAsync(ClaimedBatch batch, CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
            return;
        Reached.TrySetResult();
        await Task.Delay(Timeout.Infinite, ct);
    }
}

[Collection(ExecutionCollection.Name)]
public sealed class CrashTests
{
    [Fact]
    public async Task HostDiesAfterMisoAnsweredBeforeCommit_AnotherHostCompletesEverythingOnce()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var faults = new StopAfterFirstCall();
        var first = Host(faults, emulator);
        await first.InitializeAsync();
        var second = Host(null, emulator);
        second.ConnectionString = first.ConnectionString;
        var users = Enumerable.Range(0, 30).Select(i => $"crash-{i}").ToList();
        string id;
        try
        {
            id = await Erasures.CreateAsync(first.ClientFor(TestKeys.All), users);
            await faults.Reached.Task.WaitAsync(TimeSpan.FromSeconds(180));
            await first.DisposeAsync(); // the batch in flight never records its outcome

            await second.InitializeAsync();
            var done = (await Erasures.WaitForAsync(second.ClientFor(TestKeys.All), [id], "completed"))[id];

            await using var db = second.NewDb();
            var items = await db.WorkItems.Where(w => w.RequestId == Guid.Parse(id)).ToListAsync();
            Assert.Equal(users.Count * 4, items.Count);
            Assert.All(items, w => Assert.Equal(WorkItemState.Deleted, w.State));
            Assert.Single(done.GetProperty("timeline").EnumerateArray(), e => e.Str("action") == "request.completed");
            Assert.Single(done.GetProperty("timeline").EnumerateArray(), e => e.Str("action") == "request.in_progress");
            var calls = await first.Inspector.GetCallsAsync(null, 100_000);
            Assert.Contains(calls, c => c.UserIds.Contains("crash-0") && c.Status == 200);
            Assert.True(calls.Count(c => c.UserIds.Contains("crash-0")) >= 5, "the interrupted call was made again");
            var verify = await (await second.ClientFor(TestKeys.All).GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK);
            Assert.True(verify.GetProperty("intact").GetBoolean());
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task LocksLeftByAKilledInstance_DoNotHoldUpTheDrainForLong()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var app = Host(null, emulator);
        app.ConnectionString = await TestDatabase.CreateAsync();
        // What a process killed inside Hangfire's schedulers leaves behind: their locks, taken two minutes ago.
        await using (var connection = new Npgsql.NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new Npgsql.NpgsqlCommand("""
                INSERT INTO hangfire.lock (resource, updatecount, acquired)
                SELECT resource, 0, now() - interval '2 minutes'
                FROM unnest(ARRAY['hangfire:recurring-jobs:lock', 'hangfire:locks:schedulepoller']) AS resource
                """, connection);
            await insert.ExecuteNonQueryAsync();
        }
        await app.InitializeAsync();
        try
        {
            var id = await Erasures.CreateAsync(app.ClientFor(TestKeys.All), ["stale-lock-0", "stale-lock-1"]);
            await Erasures.WaitForAsync(app.ClientFor(TestKeys.All), [id], "completed", TimeSpan.FromSeconds(150));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    static ExecutionApp Host(ExecutionFaults? faults, EmulatorServer emulator)
    {
        var app = new ExecutionApp { SharedEmulator = emulator };
        app.ExtraSettings["Execution:Lease"] = "00:00:03";
        if (faults is not null)
            app.TestServices = services => services.AddSingleton(faults);
        return app;
    }
}
