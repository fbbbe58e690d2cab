using Miso.Emulator.Faults;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Npgsql;

namespace Miso.Privacy.IntegrationTests.Execution;

/// <summary>
/// A request's completion time is evidence that every deletion had reached Miso by then. The batches of one request
/// settle one after another, each waiting for the one before it; a batch that took its time before that wait could
/// record a completion earlier than a deletion that reached Miso while it waited.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class CompletionTimeTests(ExecutionApp app) : IClassFixture<ExecutionApp>
{
    [Fact]
    public async Task ABatchThatWaitedToSettle_RecordsTheCompletionAfterItsWait()
    {
        var client = app.ClientFor(TestKeys.All);
        await app.Inspector.SetFaultsAsync(new FaultSettings { LatencyMs = 1500 });
        string id;
        DateTimeOffset released;
        try
        {
            id = await Erasures.CreateAsync(client, ["settles-late"]);
            await using var holder = new NpgsqlConnection(app.ConnectionString);
            await holder.OpenAsync();
            // Every call takes a grant at the rate gate just before it is sent (this fixture's database has no other calls).
            await Until(async () => await CountAsync(holder, "SELECT count(*) FROM privacy.miso_rate_grants") == 4, "four calls sent");
            // The request's row is held, as by a batch of it that is settling: all four batches get their answers (1.5 s
            // later) and wait, the first for the holder and the others behind the first.
            await using var transaction = await holder.BeginTransactionAsync();
            await using (var hold = new NpgsqlCommand($"SELECT 1 FROM privacy.erasure_requests WHERE id = '{id}' FOR UPDATE", holder, transaction))
                await hold.ExecuteNonQueryAsync();
            await using (var observer = new NpgsqlConnection(app.ConnectionString))
            {
                await observer.OpenAsync();
                await Until(async () => await CountAsync(observer,
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND cardinality(pg_blocking_pids(pid)) > 0") == 4, "four batches waiting");
            }
            await Task.Delay(300);
            released = DateTimeOffset.UtcNow;
            await transaction.CommitAsync();
        }
        finally
        {
            await app.Inspector.ClearFaultsAsync();
        }

        var done = (await Erasures.WaitForAsync(client, [id], "completed"))[id];
        var completedAt = done.GetProperty("completed_at").GetDateTimeOffset();
        Assert.True(completedAt >= released, $"completed at {completedAt:O}, before the wait it settled after ended at {released:O}");
        var calls = (await app.Inspector.GetCallsAsync(null, 100_000)).Where(c => c.UserIds.Contains("settles-late")).ToList();
        Assert.Equal(4, calls.Count);
        Assert.All(calls, c => Assert.True(c.Time <= completedAt, $"a deletion arrived at {c.Time:O}, after the completion at {completedAt:O}"));
    }

    internal static async Task<long> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    internal static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
