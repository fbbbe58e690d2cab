using Miso.Privacy.Migrations;
using Npgsql;

namespace Miso.Privacy.IntegrationTests.Infrastructure;

/// <summary>
/// Each test class gets its own database, cloned from a template migrated once per run: full
/// isolation for the price of a file copy, and every test runs on the real migrated schema. Databases belong to
/// <see cref="DatabaseRoles.Owner"/>, who migrates them as a deployment's owner would, without superuser rights.
/// </summary>
public static class TestDatabase
{
    static readonly string Template = $"privacy_template_{Environment.ProcessId}";
    static readonly SemaphoreSlim Gate = new(1, 1);
    static bool _templateReady;

    /// <summary>The owner's connection string to a new database; the service connects with <see cref="DatabaseRoles.AsService"/>.</summary>
    public static async Task<string> CreateAsync()
    {
        var server = await PostgresServer.GetAsync();
        var name = $"privacy_test_{Guid.NewGuid():N}";
        await Gate.WaitAsync();
        try
        {
            if (!_templateReady)
            {
                await ExecuteAsync(server.AdminConnectionString, $"DROP DATABASE IF EXISTS {Template}");
                await ExecuteAsync(server.AdminConnectionString, $"CREATE DATABASE {Template} OWNER {DatabaseRoles.Owner}");
                await MigrationRunner.MigrateAsync(DatabaseRoles.As(server.ConnectionStringFor(Template), DatabaseRoles.Owner), DatabaseRoles.Service);
                NpgsqlConnection.ClearAllPools();
                _templateReady = true;
            }
            await ExecuteAsync(server.AdminConnectionString, $"CREATE DATABASE {name} TEMPLATE {Template} OWNER {DatabaseRoles.Owner}");
        }
        finally
        {
            Gate.Release();
        }
        var owner = DatabaseRoles.As(server.ConnectionStringFor(name), DatabaseRoles.Owner);
        // A clone copies the objects and their grants, but not the database's own privileges (pg_database keeps those).
        await using (var connection = new NpgsqlConnection(owner + ";Pooling=false"))
        {
            await connection.OpenAsync();
            await ServiceRoleGrants.ApplyAsync(connection, DatabaseRoles.Service, CancellationToken.None);
        }
        return owner;
    }

    static async Task ExecuteAsync(string adminConnectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString + ";Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
