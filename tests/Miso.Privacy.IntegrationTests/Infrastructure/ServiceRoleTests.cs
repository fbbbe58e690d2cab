using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Migrations;
using Npgsql;

namespace Miso.Privacy.IntegrationTests.Infrastructure;

/// <summary>
/// The service's database role can read and append the audit trail and do the row work listed in ServiceGrants, and
/// nothing else: every way to rewrite history, switch the append-only trigger off or take ownership is refused.
/// </summary>
public sealed class ServiceRoleTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    static readonly string[] Privileges = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];

    [Fact]
    public async Task EveryTableInSchemaPrivacy_HasAGrantDecision_AndTheServiceRoleHoldsExactlyIt()
    {
        await using var owner = await OpenAsync(app.ConnectionString);
        var tables = await StringsAsync(owner, "SELECT tablename::text FROM pg_tables WHERE schemaname = 'privacy' ORDER BY 1");
        Assert.Contains("audit_events", tables);
        var undecided = tables.Where(t => !ServiceGrants.Privacy.ContainsKey(t)).ToList();
        Assert.True(undecided.Count == 0, $"Tables in schema privacy without a decision in ServiceGrants.Privacy: {string.Join(", ", undecided)}");

        var wrong = new List<string>();
        foreach (var table in tables)
        {
            var expected = ServiceGrants.Sql(ServiceGrants.Privacy[table]).Split(", ", StringSplitOptions.RemoveEmptyEntries);
            foreach (var privilege in Privileges)
            {
                var held = await BoolAsync(owner, $"SELECT has_table_privilege('{DatabaseRoles.Service}', 'privacy.{table}', '{privilege}')");
                if (held != expected.Contains(privilege))
                    wrong.Add($"privacy.{table} {privilege}: {(held ? "held" : "missing")}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.True(await BoolAsync(owner, $"SELECT has_table_privilege('{DatabaseRoles.Service}', 'hangfire.job', 'DELETE')"));
        Assert.False(await BoolAsync(owner, $"SELECT has_table_privilege('{DatabaseRoles.Service}', 'hangfire.schema', 'UPDATE')"));
        Assert.False(await BoolAsync(owner, $"SELECT has_table_privilege('{DatabaseRoles.Service}', 'hangfire.job', 'TRUNCATE')"));
    }

    [Fact]
    public async Task TheServiceUnderTest_ConnectsAsTheServiceRole()
    {
        var created = await app.ClientFor(TestKeys.All).PostJsonAsync("/api/v1/erasure-requests", """{"user_ids": ["role-check"], "requested_by": "t"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await using var owner = await OpenAsync(app.ConnectionString);
        var roles = await StringsAsync(owner, "SELECT DISTINCT usename::text FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        Assert.Equal([DatabaseRoles.Service], roles);
    }

    [Fact]
    public async Task TheService_IsNotReady_WhenItConnectsAsTheOwner()
    {
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/health/ready")).StatusCode);
        await using var asOwner = new PrivacyApp { ConnectionString = app.ConnectionString };
        asOwner.ExtraSettings["ConnectionStrings:Privacy"] = app.ConnectionString;
        await asOwner.InitializeAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await asOwner.CreateClient().GetAsync("/health/ready")).StatusCode);
        var report = await asOwner.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries["schema"].Status);
        Assert.Contains("owns privacy.audit_events", report.Entries["service-role"].Description);
    }

    public static TheoryData<string, string> Tampering() => new()
    {
        { "UPDATE privacy.audit_events SET actor = 'mallory'", "update the audit trail" },
        { "DELETE FROM privacy.audit_events", "delete from the audit trail" },
        { "TRUNCATE privacy.audit_events", "truncate the audit trail" },
        { "ALTER TABLE privacy.audit_events DISABLE TRIGGER USER", "disable the append-only triggers" },
        { "ALTER TABLE privacy.audit_events DISABLE TRIGGER audit_events_no_update_or_delete", "disable one trigger" },
        { "DROP TRIGGER audit_events_no_update_or_delete ON privacy.audit_events", "drop the trigger" },
        { "DROP FUNCTION privacy.audit_events_append_only() CASCADE", "drop the trigger's function" },
        { "CREATE OR REPLACE FUNCTION privacy.audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$", "replace the trigger's function" },
        { "ALTER TABLE privacy.audit_events OWNER TO miso_privacy_service", "take the table" },
        { "ALTER TABLE privacy.audit_events ADD COLUMN note text", "alter the table" },
        { "DROP TABLE privacy.audit_events", "drop the table" },
        { "SET session_replication_role = replica", "turn every trigger off for the session" },
        { "LOCK TABLE privacy.audit_events IN ACCESS EXCLUSIVE MODE", "lock everyone out of the trail" },
        { "CREATE FUNCTION privacy.noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$", "create a function in privacy" },
        { "CREATE FUNCTION public.noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$", "create a function in public" },
        { "CREATE FUNCTION pg_temp.noop() RETURNS int LANGUAGE sql AS 'SELECT 1'", "create a temporary function" },
        { "CREATE TEMP TABLE scratch (x int)", "create a temporary table" },
        { "CREATE TRIGGER sneaky BEFORE INSERT ON privacy.audit_events FOR EACH ROW EXECUTE FUNCTION privacy.audit_events_append_only()", "create a trigger" },
        { "CREATE TABLE privacy.shadow (x int)", "create a table" },
        { "CREATE SCHEMA shadow", "create a schema" },
        { "GRANT miso_privacy_owner TO miso_privacy_service", "make itself the owner" },
        { "SET ROLE miso_privacy_owner", "act as the owner" },
        { "ALTER ROLE miso_privacy_service SUPERUSER", "make itself superuser" },
        { "ALTER ROLE miso_privacy_service BYPASSRLS", "bypass row security" },
        { "COPY privacy.audit_events FROM PROGRAM 'true'", "run a program" },
        { "DELETE FROM privacy.suppressions", "delete suppressions (lifting is an audited update)" },
        { "TRUNCATE privacy.erasure_requests CASCADE", "truncate the requests" },
        { "DELETE FROM privacy.erasure_requests", "delete requests" },
        { "UPDATE privacy.__ef_migrations_history SET product_version = 'x'", "rewrite the migration history" },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task TheServiceRole_IsRefused(string sql, string attempt)
    {
        await app.ClientFor(TestKeys.All).PostJsonAsync("/api/v1/erasure-requests", """{"user_ids": ["tamper-target"], "requested_by": "t"}""");
        await using var service = await OpenAsync(DatabaseRoles.AsService(app.ConnectionString));
        await using var transaction = await service.BeginTransactionAsync();
        var refused = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var command = new NpgsqlCommand(sql, service, transaction);
            await command.ExecuteNonQueryAsync();
        });
        Assert.True(refused.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{attempt}: {refused.SqlState} {refused.MessageText}");
    }

    [Fact]
    public async Task GrantingItselfMoreOnTheTrail_GrantsNothing()
    {
        // PostgreSQL answers a role that holds privileges without grant option with a warning, not an error.
        await using var service = await OpenAsync(DatabaseRoles.AsService(app.ConnectionString));
        var notices = new List<string>();
        service.Notice += (_, e) => notices.Add(e.Notice.MessageText);
        await new NpgsqlCommand("GRANT UPDATE, DELETE, TRUNCATE ON privacy.audit_events TO miso_privacy_service, PUBLIC", service).ExecuteNonQueryAsync();
        Assert.Contains(notices, n => n.Contains("no privileges were granted", StringComparison.Ordinal));
        foreach (var privilege in new[] { "UPDATE", "DELETE", "TRUNCATE" })
            Assert.False(await BoolAsync(service, $"SELECT has_table_privilege('privacy.audit_events', '{privilege}')"), privilege);
        await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand("DELETE FROM privacy.audit_events", service).ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task AfterEveryAttempt_TheTriggerStands_TheOwnerOwns_AndTheChainVerifies()
    {
        var client = app.ClientFor(TestKeys.All);
        await client.PostJsonAsync("/api/v1/erasure-requests", """{"user_ids": ["tamper-after"], "requested_by": "t"}""");
        foreach (var row in Tampering())
        {
            await using var service = await OpenAsync(DatabaseRoles.AsService(app.ConnectionString));
            try { await new NpgsqlCommand((string)row[0], service).ExecuteNonQueryAsync(); }
            catch (PostgresException) { }
        }

        await using var owner = await OpenAsync(app.ConnectionString);
        Assert.Equal(["audit_events_no_truncate:O", "audit_events_no_update_or_delete:O"], await StringsAsync(owner,
            "SELECT tgname::text || ':' || tgenabled::text FROM pg_trigger WHERE tgrelid = 'privacy.audit_events'::regclass ORDER BY 1"));
        Assert.Equal(DatabaseRoles.Owner, (await StringsAsync(owner, "SELECT tableowner::text FROM pg_tables WHERE tablename = 'audit_events'")).Single());
        Assert.Empty(await StringsAsync(owner, "SELECT table_name::text FROM information_schema.tables WHERE table_name IN ('shadow', 'scratch')"));
        Assert.False(await BoolAsync(owner, $"SELECT has_table_privilege('{DatabaseRoles.Service}', 'privacy.audit_events', 'UPDATE')"));
        Assert.False(await BoolAsync(owner, $"SELECT pg_has_role('{DatabaseRoles.Service}', '{DatabaseRoles.Owner}', 'MEMBER')"));
        var verify = await (await app.ClientFor(TestKeys.Reports).GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
        // The same statement from the owner goes through: the refusals above are the role's, not the statements'.
        await using var rollback = await owner.BeginTransactionAsync();
        await new NpgsqlCommand("ALTER TABLE privacy.audit_events DISABLE TRIGGER USER", owner, rollback).ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task TheRunner_NamesATableWithoutAGrantDecision()
    {
        await using var owner = await OpenAsync(app.ConnectionString);
        await using var transaction = await owner.BeginTransactionAsync();
        await new NpgsqlCommand("CREATE TABLE privacy.undecided_things (id int)", owner, transaction).ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        try
        {
            var refused = await Assert.ThrowsAsync<ServiceRoleException>(() => ServiceRoleGrants.ApplyAsync(owner, DatabaseRoles.Service, CancellationToken.None));
            Assert.Contains("privacy.undecided_things", refused.Message);
            Assert.Contains("ServiceGrants.Privacy", refused.Message);
        }
        finally
        {
            await new NpgsqlCommand("DROP TABLE privacy.undecided_things", owner).ExecuteNonQueryAsync();
        }
    }

    [Theory]
    [InlineData(DatabaseRoles.Owner, "is the role that runs the migrations")]
    [InlineData("postgres", "is a superuser")]
    [InlineData("nobody_made_this_role", "does not exist")]
    [InlineData("Robert'); DROP TABLE x;--", "plain lower-case")]
    public async Task TheRunner_RefusesAServiceRoleThatCouldUndoTheGrants(string role, string message)
    {
        await using var owner = await OpenAsync(app.ConnectionString);
        var refused = await Assert.ThrowsAsync<ServiceRoleException>(() => ServiceRoleGrants.ApplyAsync(owner, role, CancellationToken.None));
        Assert.Contains(message, refused.Message);
    }

    static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    static async Task<bool> BoolAsync(NpgsqlConnection connection, string sql) =>
        (bool)(await new NpgsqlCommand(sql, connection).ExecuteScalarAsync())!;

    static async Task<List<string>> StringsAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
            values.Add(reader.GetString(0));
        return values;
    }
}
