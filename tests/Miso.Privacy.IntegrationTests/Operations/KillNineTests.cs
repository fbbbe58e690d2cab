using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Miso.Emulator;
using Miso.Emulator.Faults;
using Miso.Privacy.Execution;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Miso.Privacy.IntegrationTests.Operations;

/// <summary>
/// The real service process, killed with SIGKILL five times in the middle of a drain and started again:
/// every request completes, once, nothing stays behind at Miso, and the audit chain still verifies.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class KillNineTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillingTheServiceFiveTimesMidDrain_LosesNothing_AndCountsEverythingOnce()
    {
        var connectionString = await TestDatabase.CreateAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        await emulator.CreateInspector().SetFaultsAsync(new FaultSettings { LatencyMs = 40 });
        var users = Enumerable.Range(0, 800).Select(i => $"kill9-{i}").ToList();
        await ExecutionApp.SeedAsync(emulator, users);
        var port = FreePort.Next();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.All.Value);

        var service = await StartAsync(port, connectionString, emulator, http);
        var ids = new List<string>();
        foreach (var chunk in users.Chunk(40))
            ids.Add(await Erasures.CreateAsync(http, chunk));

        for (var kill = 1; kill <= 5; kill++)
        {
            var before = await DeletedAsync(connectionString);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await DeletedAsync(connectionString) == before && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
            output.WriteLine($"kill {kill}: {await DeletedAsync(connectionString)} items deleted so far");
            service.Dispose();
            service = await StartAsync(port, connectionString, emulator, http);
        }
        try
        {
            await Erasures.WaitForAsync(http, ids, "completed", TimeSpan.FromMinutes(4));
            await using var db = PrivacyApp.NewDb(connectionString);
            Assert.Equal(users.Count * 4, await db.WorkItems.CountAsync(w => w.State == WorkItemState.Deleted));
            Assert.Equal(users.Count * 4, await db.WorkItems.CountAsync());
            var completions = await db.AuditEvents.Where(e => e.Action == "request.completed").GroupBy(e => e.RequestId).Select(g => g.Count()).ToListAsync();
            Assert.Equal(ids.Count, completions.Count);
            Assert.All(completions, c => Assert.Equal(1, c));
            var verify = await (await http.GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK);
            Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
            foreach (var environment in emulator.Environments)
                Assert.Equal(0, (await emulator.CreateInspector().GetStatsAsync(environment.Name)).Interactions);
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            service.Dispose();
        }
    }

    static async Task<long> DeletedAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM privacy.work_items WHERE state = 'deleted'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    Task<Process> StartAsync(int port, string connectionString, EmulatorServer emulator, HttpClient http) =>
        ServiceProcess.StartAsync(port, connectionString, emulator, http, output, new Dictionary<string, string>
        {
            ["RateLimiting__PermitsPerSecond"] = "100000",
            ["RateLimiting__Burst"] = "100000",
            ["Execution__BatchSize"] = "25",
            ["Execution__MaxCallsPerSecond"] = "8",
            ["Execution__BatchWindow"] = "00:00:00.200",
            ["Execution__DrainInterval"] = "00:00:01",
            ["Execution__Lease"] = "00:00:03",
            ["Execution__RetryBaseDelay"] = "00:00:01",
            ["Execution__RetryMaxDelay"] = "00:00:03",
        });
}
