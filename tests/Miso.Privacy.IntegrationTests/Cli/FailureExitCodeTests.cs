using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.ApiKeys;
using Miso.Privacy.IntegrationTests.Dashboard;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Npgsql;

namespace Miso.Privacy.IntegrationTests.Cli;

/// <summary>
/// The exit codes a script tells failures apart by, caused for real: the service failing (a 503 when it cannot reach its
/// database for keys) and an audit trail changed behind its back. Each test has a service of its own, because it breaks it.
/// </summary>
public sealed class FailureExitCodeTests
{
    [Fact]
    public async Task AServiceThatCannotAnswer_IsExit4_WithItsProblemShown()
    {
        await using var app = new KestrelPrivacyApp
        {
            // Created keys are looked up on a port nothing listens on: the service answers 503 for them.
            TestServices = services => services.AddKeyedSingleton(ApiKeysApi.PoolKey,
                NpgsqlDataSource.Create($"Host=127.0.0.1;Port={FreePort.Next()};Username=nobody;Database=nothing;Timeout=2")),
        };
        await app.InitializeAsync();

        var run = await app.CliAsync(new TestKey("created", "mpk_" + new string('o', 43), []), "list");

        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Contains("The service answered 503", run.Error);
        Assert.Contains("database:", run.Error);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task AnAuditTrailChangedInTheDatabase_IsExit1_NamingTheFirstBrokenEvent()
    {
        await using var app = new KestrelPrivacyApp();
        await app.InitializeAsync();
        for (var i = 0; i < 3; i++)
            Assert.Equal(0, (await app.CliAsync(TestKeys.Writer, "erase", $"cli-tamper-{i}-{Guid.NewGuid():N}")).ExitCode);

        // As the owner, the one who can: the trigger off, one event's actor changed, its hash left as it was.
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand("""
                ALTER TABLE privacy.audit_events DISABLE TRIGGER USER;
                UPDATE privacy.audit_events SET actor = 'mallory' WHERE seq = 2;
                ALTER TABLE privacy.audit_events ENABLE TRIGGER USER;
                """, connection).ExecuteNonQueryAsync();
        }

        var run = await app.CliAsync(TestKeys.Reports, "audit", "verify");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("BROKEN at seq 2: hash does not match the event's content", run.Error);
    }
}
