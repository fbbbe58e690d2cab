using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Emulator;
using Miso.Emulator.Faults;
using Miso.Privacy.Execution;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Miso.Privacy.IntegrationTests.Sweeps;

/// <summary>
/// The real service process, killed with SIGKILL while each sweep's Miso calls are in flight and started again: every
/// sweep still reaches Miso for every id, after it was due and before it was recorded; each is recorded once, the key is
/// shredded once, and the audit chain verifies.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class SweepKillNineTests(ITestOutputHelper output)
{
    const int Rounds = 2;
    static readonly (string Method, string Path)[] Deletions = [("DELETE", "/v1/interactions"), ("POST", "/v1/users/_delete")];

    [Fact]
    public async Task KillingTheServiceDuringEachSweep_EverySweepReachesMisoForEveryId_AndIsRecordedOnce()
    {
        var connectionString = await TestDatabase.CreateAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        var inspector = emulator.CreateInspector();
        var users = Enumerable.Range(0, 20).Select(i => $"sweep-kill9-{i}").ToList();
        await ExecutionApp.SeedAsync(emulator, users);
        var port = FreePort.Next();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.All.Value);

        var service = await StartAsync(port, connectionString, emulator, http);
        try
        {
            var id = await Erasures.CreateAsync(http, users);
            await Erasures.WaitForAsync(http, [id], "completed");
            // Uploaded straight to Miso after completion, around the service: only the sweeps can delete these.
            await ExecutionApp.SeedAsync(emulator, users);
            // Every Miso call now takes seconds, so a kill that follows a claim lands while its call is in flight.
            await inspector.SetFaultsAsync(new FaultSettings { LatencyMs = 2500 });

            var killed = new HashSet<Guid>();
            for (var round = 1; round <= Rounds; round++)
            {
                await WaitForRoundInFlightAsync(connectionString, id, round, killed);
                service.Kill(entireProcessTree: true);
                await service.WaitForExitAsync();
                service.Dispose();
                var inFlight = await InFlightBatchesAsync(connectionString);
                killed.UnionWith(inFlight);
                output.WriteLine($"kill during sweep {round}: {inFlight.Count} batches in flight");
                if (round == Rounds)
                    await inspector.ClearFaultsAsync();
                service = await StartAsync(port, connectionString, emulator, http);
            }

            var detail = await WaitForShreddedAsync(http, id);
            var actions = detail.GetProperty("timeline").EnumerateArray().Select(e => e.Str("action")).ToList();
            Assert.Single(actions, a => a == "request.completed");
            Assert.Equal(Rounds, actions.Count(a => a == "request.swept"));
            Assert.Single(actions, a => a == "request.shredded");
            var swept = detail.GetProperty("timeline").EnumerateArray().Where(e => e.Str("action") == "request.swept").Select(e => e.GetProperty("details")).ToList();
            Assert.Equal(Enumerable.Range(1, Rounds), swept.Select(d => d.GetProperty("round").GetInt32()).Order());
            Assert.All(swept, d =>
            {
                Assert.Equal("deleted", d.Str("outcome"));
                Assert.Equal(users.Count, d.GetProperty("ids").GetInt32());
                Assert.Equal(users.Count * 4, d.GetProperty("answers").EnumerateArray().Sum(a => a.GetProperty("items").GetInt32()));
            });

            var sweeps = detail.GetProperty("sweeps").EnumerateArray().ToList();
            Assert.Equal(Enumerable.Range(1, Rounds), sweeps.Select(s => s.GetProperty("round").GetInt32()));
            Assert.All(sweeps, s => Assert.Equal(("deleted", 0, users.Count * 4, 0),
                (s.Str("state"), s.GetProperty("pending").GetInt32(), s.GetProperty("deleted").GetInt32(), s.GetProperty("failed").GetInt32())));

            // Each sweep's deletions reached Miso for every id and environment, after it was due and before it was recorded.
            var calls = await inspector.GetCallsAsync(limit: 100_000);
            foreach (var sweep in sweeps)
            {
                var (due, done) = (sweep.GetProperty("due_at").GetDateTimeOffset(), sweep.GetProperty("swept_at").GetDateTimeOffset());
                var answered = calls.Where(c => c.Status == 200 && c.Time >= due && c.Time <= done).ToList();
                foreach (var environment in emulator.Environments)
                    foreach (var (method, path) in Deletions)
                    {
                        var named = answered.Where(c => c.Environment == environment.Name && c.Method == method && c.Path == path)
                            .SelectMany(c => c.UserIds).ToHashSet(StringComparer.Ordinal);
                        Assert.True(users.All(named.Contains),
                            $"sweep {sweep.GetProperty("round").GetInt32()}: {method} {path} in {environment.Name} missed {string.Join(", ", users.Where(u => !named.Contains(u)))}");
                    }
            }
            foreach (var environment in emulator.Environments)
            {
                Assert.Equal(0, (await inspector.GetStatsAsync(environment.Name)).Interactions);
                Assert.DoesNotContain(await inspector.GetUsersAsync(environment.Name), u => users.Contains(u.GetProperty("user_id").GetString()!));
            }

            await using var db = PrivacyApp.NewDb(connectionString);
            var requestId = Guid.Parse(id);
            var items = await db.SweepItems.Where(i => i.RequestId == requestId)
                .Join(db.RequestSweeps, i => i.SweepId, s => s.Id, (i, s) => new { s.Round, i.State, i.Attempts }).ToListAsync();
            Assert.Equal(users.Count * 4 * Rounds, items.Count);
            Assert.All(items, i => Assert.Equal(WorkItemState.Deleted, i.State));
            // Each kill interrupted a claimed batch of its sweep, which the restarted service claimed again.
            Assert.All(Enumerable.Range(1, Rounds), round => Assert.Contains(items, i => i.Round == round && i.Attempts >= 2));
            var request = await db.ErasureRequests.AsNoTracking().SingleAsync(r => r.Id == requestId);
            Assert.Null(request.DataKey);
            Assert.Equal(detail.GetProperty("shredded_at").GetDateTimeOffset(), request.ShreddedAt);
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.RequestId == requestId && e.Action == "request.shredded"));
            Assert.Equal(Rounds, await db.AuditEvents.CountAsync(e => e.RequestId == requestId && e.Action == "request.swept"));

            var verify = await (await http.GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK);
            Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            service.Dispose();
        }
    }

    /// <summary>Until the running service holds a claimed batch of the sweep: one no earlier process claimed.</summary>
    static async Task WaitForRoundInFlightAsync(string connectionString, string id, int round, HashSet<Guid> killed)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        while (true)
        {
            await using var command = new NpgsqlCommand("""
                SELECT count(*) FILTER (WHERE i.state = 'in_flight' AND NOT (i.batch_id = ANY(@killed))), bool_and(rs.swept_at IS NOT NULL)
                FROM privacy.sweep_items i JOIN privacy.request_sweeps rs ON rs.id = i.sweep_id
                WHERE rs.request_id = @request AND rs.round = @round
                """, connection);
            command.Parameters.AddWithValue("request", Guid.Parse(id));
            command.Parameters.AddWithValue("round", round);
            command.Parameters.AddWithValue("killed", killed.ToArray());
            await using (var reader = await command.ExecuteReaderAsync())
            {
                await reader.ReadAsync();
                if (reader.GetInt64(0) > 0)
                    return;
                Assert.False(!reader.IsDBNull(1) && reader.GetBoolean(1), $"sweep {round} was done before a kill could land in it");
            }
            Assert.True(DateTime.UtcNow < deadline, $"sweep {round} was never claimed");
            await Task.Delay(50);
        }
    }

    static async Task<List<Guid>> InFlightBatchesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT DISTINCT batch_id FROM privacy.sweep_items WHERE state = 'in_flight'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var batches = new List<Guid>();
        while (await reader.ReadAsync())
            batches.Add(reader.GetGuid(0));
        return batches;
    }

    static async Task<JsonElement> WaitForShreddedAsync(HttpClient http, string id)
    {
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            var detail = await (await http.GetAsync($"/api/v1/erasure-requests/{id}")).JsonAsync(HttpStatusCode.OK);
            if (detail.GetProperty("shredded_at").ValueKind != JsonValueKind.Null)
                return detail;
            Assert.True(DateTime.UtcNow < deadline, $"not shredded after the restarts: {detail}");
            await Task.Delay(250);
        }
    }

    Task<Process> StartAsync(int port, string connectionString, EmulatorServer emulator, HttpClient http) =>
        ServiceProcess.StartAsync(port, connectionString, emulator, http, output, new Dictionary<string, string>
        {
            ["RateLimiting__PermitsPerSecond"] = "100000",
            ["RateLimiting__Burst"] = "100000",
            ["Execution__BatchSize"] = "10",
            ["Execution__MaxCallsPerSecond"] = "8",
            ["Execution__BatchWindow"] = "00:00:00.200",
            ["Execution__DrainInterval"] = "00:00:01",
            // Longer than a call with the injected latency, so a live batch is never claimed again under it.
            ["Execution__Lease"] = "00:00:06",
            ["Execution__RetryBaseDelay"] = "00:00:01",
            ["Execution__RetryMaxDelay"] = "00:00:03",
            ["Execution__Sweeps"] = "00:00:10, 00:00:20",
        });
}
