using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Miso.Emulator.Faults;
using Miso.Privacy.Audit;
using Miso.Privacy.Dashboard;
using Miso.Privacy.Infrastructure.Json;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Miso.Privacy.IntegrationTests.Dashboard;

/// <summary>
/// The counters the summary is built from equal a full recount after a randomized mix of everything that changes
/// requests, work items and suppressions, through the real service and its drain to the emulator, including
/// transactions that roll back and connections killed before commit. The seed is printed; SUMMARY_COUNTER_SEED replays it.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class SummaryCounterTests(ExecutionApp app, ITestOutputHelper output) : IClassFixture<ExecutionApp>
{
    static readonly string[] Regulations = ["gdpr", "uk_gdpr", "ccpa", "other"];
    static readonly string[] Types = ["erase", "erase", "erase", "suppress", "delete"];

    // Every counter, totals plus pending deltas, against privacy.summary_recount() (the migration's backfill), in one snapshot.
    // A counter at zero and no counter mean the same figure (the recount always names suppressed subjects, even 0), so
    // both sides leave zero rows out.
    const string Differences = """
        WITH have AS (
               SELECT metric, period, dim1, dim2, dim3, sum(count) AS count, sum(late) AS late, sum(seconds) AS seconds, max(latest) AS latest
                 FROM (SELECT metric, period, dim1, dim2, dim3, count, late, seconds, latest FROM privacy.summary_counters
                       UNION ALL
                       SELECT metric, period, dim1, dim2, dim3, count, late, seconds, latest FROM privacy.summary_counter_deltas) c
                GROUP BY 1, 2, 3, 4, 5 HAVING sum(count) <> 0 OR sum(late) <> 0 OR sum(seconds) <> 0),
             want AS (SELECT metric, period, dim1, dim2, dim3, count, late, seconds, latest FROM privacy.summary_recount()
                       WHERE count <> 0 OR late <> 0 OR seconds <> 0)
        SELECT 'missing ' || w::text FROM (SELECT * FROM want EXCEPT SELECT * FROM have) w
        UNION ALL
        SELECT 'unexpected ' || h::text FROM (SELECT * FROM have EXCEPT SELECT * FROM want) h
        """;

    [Fact]
    public async Task Counters_EqualARecount_AfterARandomMixOfChangesAndCrashes()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SUMMARY_COUNTER_SEED"), out var s) ? s : Random.Shared.Next();
        output.WriteLine($"seed {seed} (SUMMARY_COUNTER_SEED={seed} replays it)");
        var random = new Random(seed);
        var client = app.ClientFor(TestKeys.All);
        var ids = new List<string>();
        var users = new List<string>();
        var operations = new Dictionary<string, int>();

        for (var step = 0; step < 60; step++)
        {
            var operation = random.Next(100) switch
            {
                < 35 => "create",
                < 45 => "cancel",
                < 55 => "extend",
                < 63 => "lift",
                < 70 => "refuse",
                < 78 => "retry",
                < 86 => "rollback",
                < 94 => "kill",
                _ => "check",
            };
            operations[operation] = operations.GetValueOrDefault(operation) + 1;
            switch (operation)
            {
                case "create":
                    ids.Add(await CreateAsync(client, random, users));
                    break;
                case "cancel" when ids.Count > 0:
                    await ExpectAsync(await client.PostJsonAsync($"/api/v1/erasure-requests/{Pick(random, ids)}/cancel", """{"reason": "mix"}"""));
                    break;
                case "extend" when ids.Count > 0:
                    await ExpectAsync(await client.PostJsonAsync($"/api/v1/erasure-requests/{Pick(random, ids)}/extend",
                        $$"""{"reason": "mix", "notified_at": "{{DateTimeOffset.UtcNow:O}}"}"""));
                    break;
                case "lift" when users.Count > 0:
                    var environments = random.Next(2) == 0 ? "" : $", \"environments\": [\"{app.Emulator.Environments[0].Name}\"]";
                    await ExpectAsync(await client.DeleteJsonAsync($"/api/v1/suppressions/user_id/{Pick(random, users)}", $$"""{"reason": "mix"{{environments}}}"""));
                    break;
                case "refuse":
                    // Miso refuses for a moment: requests drained meanwhile fail and wait for an operator's retry.
                    await app.Inspector.SetFaultsAsync(new FaultSettings { ErrorRate = 1, ErrorStatuses = [400] });
                    ids.Add(await CreateAsync(client, random, users, "erase"));
                    await Task.Delay(random.Next(500, 2500));
                    await app.Inspector.ClearFaultsAsync();
                    break;
                case "retry" when ids.Count > 0:
                    await ExpectAsync(await client.PostAsync($"/api/v1/erasure-requests/{Pick(random, ids)}/retry", null));
                    break;
                case "rollback" when ids.Count > 0:
                    await ChangeWithoutCommitAsync(random, ids, kill: false);
                    break;
                case "kill" when ids.Count > 0:
                    await ChangeWithoutCommitAsync(random, ids, kill: true);
                    break;
            }
            if (random.Next(6) == 0)
                await AssertCountersEqualRecountAsync($"step {step}");
            if (random.Next(8) == 0)
                await FoldAsync();
        }
        output.WriteLine(string.Join(", ", operations.Select(o => $"{o.Key} {o.Value}")));
        await AssertCountersEqualRecountAsync("while the drain runs");

        await WaitUntilSettledAsync(client, ids);
        await AssertCountersEqualRecountAsync("settled");
        await AssertSummaryEqualsRecountAsync();

        // The summary adds the deltas no fold has taken yet: with every fold held off (they try the lock and skip),
        // one more request shows in the figures at once.
        await using (var holder = new NpgsqlConnection(app.ConnectionString))
        {
            await holder.OpenAsync();
            await using (var hold = new NpgsqlCommand($"SELECT pg_advisory_lock({SummaryCompaction.LockClass}, 0)", holder))
                await hold.ExecuteNonQueryAsync();
            var last = await CreateAsync(client, random, users);
            await WaitUntilSettledAsync(client, [last]);
            Assert.True(await app.CountAsync("summary_counter_deltas") > 0, "no delta left to add");
            await AssertCountersEqualRecountAsync("with folds held off");
            await AssertSummaryEqualsRecountAsync();
        }

        await FoldAsync();
        Assert.True(await app.CountAsync("summary_counters") > 0);
        await AssertCountersEqualRecountAsync("compacted");
    }

    /// <summary>A fold as the service's own folder runs it, on its pool, besides the one it runs every second.</summary>
    Task<int> FoldAsync() =>
        SummaryCompaction.RunAsync(app.Services.GetRequiredKeyedService<NpgsqlDataSource>(DashboardApi.PoolKey), default);

    static async Task WaitUntilSettledAsync(HttpClient client, List<string> ids)
    {
        var deadline = DateTime.UtcNow.AddSeconds(180);
        foreach (var id in ids.Distinct())
            while (true)
            {
                var request = await (await client.GetAsync($"/api/v1/erasure-requests/{id}")).JsonAsync(HttpStatusCode.OK);
                if (request.Str("status") is "completed" or "failed" or "cancelled")
                    break;
                Assert.True(DateTime.UtcNow < deadline, $"{id} still {request.Str("status")} after the timeout");
                await Task.Delay(250);
            }
    }

    static string Pick(Random random, List<string> list) => list[random.Next(list.Count)];

    static async Task<string> CreateAsync(HttpClient client, Random random, List<string> users, string? type = null)
    {
        var subjects = Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(4) == 0 && users.Count > 0 ? Pick(random, users) : $"mix-{random.Next():x}")
            .Distinct().ToList();
        users.AddRange(subjects);
        var body = new JsonObject
        {
            ["user_ids"] = new JsonArray([.. subjects.Select(u => JsonValue.Create(u))]),
            ["requested_by"] = "mix",
            ["regulation"] = Regulations[random.Next(Regulations.Length)],
            ["type"] = type ?? Types[random.Next(Types.Length)],
        };
        if (random.Next(3) == 0)
            // Whole hours back, so no completion time falls just below a histogram edge, where the shown value rounds up.
            body["submitted_at"] = DateTimeOffset.UtcNow.AddHours(-random.Next(1, 40 * 24)).ToString("O");
        var response = await client.PostJsonAsync("/api/v1/erasure-requests", body.ToJsonString());
        return (await response.JsonAsync(HttpStatusCode.Created)).Str("id");
    }

    /// <summary>Whatever the mix tried, the answer is a decision (done, or refused for the request's state), never an error.</summary>
    static async Task ExpectAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.NotFound,
            $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Changes every counted table in one transaction, then rolls it back or has its connection killed before commit.</summary>
    async Task ChangeWithoutCommitAsync(Random random, List<string> ids, bool kill)
    {
        // The drain settling a batch may still deadlock with the change (it may hold rows the change wants, in its own
        // order); PostgreSQL then aborts one of them, which for the change is one more rollback. It is tried again, as the
        // drain tries its own again, so the step still ends in the rollback or the kill it drew.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ChangeWithoutCommitOnceAsync(random, ids, kill);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                output.WriteLine($"the change was a deadlock's victim (attempt {attempt}); trying again");
            }
        }
    }

    async Task ChangeWithoutCommitOnceAsync(Random random, List<string> ids, bool kill)
    {
        await using var victim = new NpgsqlConnection(DatabaseRoles.AsService(app.ConnectionString));
        await victim.OpenAsync();
        var pid = victim.ProcessID;
        await using var transaction = await victim.BeginTransactionAsync();
        var id = Guid.Parse(Pick(random, ids));
        await using (var change = new NpgsqlBatch(victim, transaction))
        {
            // In the drain's lock order: work items, then request rows (as a batch settles), then the ledger lock, which
            // every suppression change holds. Out of that order the crash would deadlock with the service's own
            // transactions, not test them.
            foreach (var sql in new[]
            {
                "UPDATE privacy.work_items SET state = 'deleted', deleted_at = now() + interval '1 day' WHERE request_id = $1",
                "UPDATE privacy.erasure_requests SET status = 'completed', completed_at = now(), extended_at = now() WHERE id = $1",
                $"SELECT pg_advisory_xact_lock({LedgerLock.Key}) WHERE $1 IS NOT NULL",
                "UPDATE privacy.suppressions SET lifted_at = now() WHERE request_id = $1",
            })
                change.BatchCommands.Add(new NpgsqlBatchCommand(sql) { Parameters = { new NpgsqlParameter { Value = id } } });
            await change.ExecuteNonQueryAsync();
        }
        if (!kill)
        {
            await transaction.RollbackAsync();
            return;
        }
        // As the service's own role, which may end its own sessions and nothing more.
        await using (var killer = new NpgsqlConnection(DatabaseRoles.AsService(app.ConnectionString)))
        {
            await killer.OpenAsync();
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend($1)", killer);
            terminate.Parameters.AddWithValue(pid);
            Assert.True((bool)(await terminate.ExecuteScalarAsync())!);
        }
        await Assert.ThrowsAnyAsync<Exception>(() => transaction.CommitAsync());
    }

    async Task AssertCountersEqualRecountAsync(string when)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Differences, connection);
        var differences = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                differences.Add(reader.GetString(0));
        Assert.True(differences.Count == 0, $"{when}: counters differ from the recount:\n{string.Join("\n", differences)}");
    }

    /// <summary>The summary users see, from the counters, against the summary recounted from the rows at the same moment.</summary>
    async Task AssertSummaryEqualsRecountAsync()
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = app.NewDb();
        var counted = await SummaryQuery.ComputeAsync(db, now, default);
        var recounted = await SummaryRecount.ComputeAsync(db, now, default);
        Assert.True(counted.Completed.Last30d > 0 && counted.ByStatus.Completed > 0, "the mix completed nothing");
        // Percentiles come from completion times counted at the shown precision: within one shown step of the exact ones.
        const double step = 0.01 + 1e-9;
        Assert.InRange(counted.CompletionTime.P50Days!.Value, recounted.CompletionTime.P50Days!.Value - step, recounted.CompletionTime.P50Days.Value + step);
        Assert.InRange(counted.CompletionTime.P95Days!.Value, recounted.CompletionTime.P95Days!.Value - step, recounted.CompletionTime.P95Days.Value + step);
        Assert.Equal(Figures(recounted), Figures(counted));
    }

    static string Figures(DashboardSummary summary) => JsonSerializer.Serialize(
        summary with { CompletionTime = summary.CompletionTime with { P50Days = null, P95Days = null } }, ApiJson.Options);
}
