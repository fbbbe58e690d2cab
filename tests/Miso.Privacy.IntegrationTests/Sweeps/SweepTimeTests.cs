using Miso.Emulator.Faults;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Npgsql;
using static Miso.Privacy.IntegrationTests.Execution.CompletionTimeTests;

namespace Miso.Privacy.IntegrationTests.Sweeps;

/// <summary>A sweep's time, like a completion's, is evidence that every deletion of it had reached Miso by then.</summary>
[Collection(ExecutionCollection.Name)]
public sealed class SweepTimeTests(SweepApp app) : IClassFixture<SweepApp>
{
    [Fact]
    public async Task ASweepBatchThatWaitedToSettle_RecordsTheSweepAfterItsWait()
    {
        var client = app.ClientFor(TestKeys.All);
        var id = await Erasures.CreateAsync(client, ["swept-late"]);
        await Erasures.WaitForAsync(client, [id], "completed");
        await using var holder = new NpgsqlConnection(app.ConnectionString);
        await holder.OpenAsync();
        var before = await CountAsync(holder, "SELECT coalesce(max(id), 0) FROM privacy.miso_rate_grants");
        await app.Inspector.SetFaultsAsync(new FaultSettings { LatencyMs = 1500 });
        DateTimeOffset released;
        try
        {
            // The first sweep's four calls are sent (each takes a grant just before), then answered 1.5 s later.
            await Until(async () => await CountAsync(holder, $"SELECT count(*) FROM privacy.miso_rate_grants WHERE id > {before}") == 4, "the sweep's four calls sent");
            await using var transaction = await holder.BeginTransactionAsync();
            await using (var hold = new NpgsqlCommand($"SELECT 1 FROM privacy.erasure_requests WHERE id = '{id}' FOR UPDATE", holder, transaction))
                await hold.ExecuteNonQueryAsync();
            await using (var observer = new NpgsqlConnection(app.ConnectionString))
            {
                await observer.OpenAsync();
                await Until(async () => await CountAsync(observer,
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND cardinality(pg_blocking_pids(pid)) > 0") == 4, "four sweep batches waiting");
            }
            await Task.Delay(300);
            released = DateTimeOffset.UtcNow;
            await transaction.CommitAsync();
        }
        finally
        {
            await app.Inspector.ClearFaultsAsync();
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var sweep = (await Erasures.WaitForAsync(client, [id], "completed"))[id].GetProperty("sweeps").EnumerateArray().First(s => s.GetProperty("round").GetInt32() == 1);
            if (sweep.GetProperty("swept_at").GetString() is { } text)
            {
                var sweptAt = DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(sweptAt >= released, $"swept at {sweptAt:O}, before the wait it settled after ended at {released:O}");
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "the first sweep was never recorded");
            await Task.Delay(200);
        }
    }
}
