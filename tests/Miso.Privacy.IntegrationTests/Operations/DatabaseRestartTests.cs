using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.Migrations;
using Npgsql;

namespace Miso.Privacy.IntegrationTests.Operations;

/// <summary>PostgreSQL restarted under load: callers get 503 problem+json meanwhile, and every accepted request still completes.</summary>
[Collection(ExecutionCollection.Name)]
[Trait(RunsAlongside.Trait, RunsAlongside.Yes)]
public sealed class DatabaseRestartTests
{
    [Fact]
    public async Task RestartingPostgresUnderLoad_Answers503Meanwhile_AndLosesNoAcceptedRequest()
    {
        await using var cluster = await PostgresCluster.CreateAsync();
        await using (var admin = new NpgsqlConnection(cluster.AdminConnectionString + ";Database=postgres;Pooling=false"))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE privacy OWNER {DatabaseRoles.Owner}", admin).ExecuteNonQueryAsync();
        }
        var connectionString = DatabaseRoles.As(cluster.AdminConnectionString + ";Database=privacy;Timeout=5;Command Timeout=10", DatabaseRoles.Owner);
        await MigrationRunner.MigrateAsync(connectionString, DatabaseRoles.Service);
        var logs = new Telemetry.CapturingLoggerProvider();
        await using var app = new ExecutionApp
        {
            ConnectionString = connectionString,
            TestServices = services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs),
        };
        // A create that committed just before the outage waits for the freshness leases before it answers, and with
        // the database away that means waiting them out. A short lease keeps that wait shorter than the outage, so
        // later calls meet it.
        app.ExtraSettings["Forwarding:FreshnessLease"] = "00:00:01";
        await app.InitializeAsync();
        var client = app.ClientFor(TestKeys.All);

        var accepted = new ConcurrentBag<string>();
        var unexpected = new ConcurrentBag<string>();
        var unavailable = 0;
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                using var response = await client.PostJsonAsync("/api/v1/erasure-requests", $$"""{"user_ids": ["restart-{{i}}"], "requested_by": "t"}""");
                if (response.StatusCode == HttpStatusCode.Created)
                    accepted.Add((await response.JsonAsync(HttpStatusCode.Created)).Str("id"));
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable
                         && response.Content.Headers.ContentType?.MediaType == "application/problem+json" && response.Headers.RetryAfter is not null)
                    Interlocked.Increment(ref unavailable);
                else
                    unexpected.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(2));
        await cluster.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await cluster.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        stop.Cancel();
        await load;

        Assert.True(unexpected.IsEmpty, string.Join("\n", unexpected.Take(3)) + "\nunhandled: " + string.Join("\n---\n",
            logs.Entries.Where(e => e.Category.Contains("ExceptionHandler")).Select(e => e.Text[..Math.Min(1500, e.Text.Length)]).Take(2)));
        Assert.True(unavailable > 0, "no call saw the database away");
        Assert.NotEmpty(accepted);
        await Erasures.WaitForAsync(client, accepted.ToList(), "completed", TimeSpan.FromMinutes(3));
        var verify = await (await client.GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
    }
}
