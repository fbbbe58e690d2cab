using Miso.Privacy.Migrations;
using Npgsql;

namespace Miso.Privacy.IntegrationTests.Infrastructure;

/// <summary>
/// Each test class gets its own database, cloned from a template migrated once per run: full
/// isolation for the price of a file copy, and every test runs on the real migrated schema.
/// </summary>
public static class TestDatabase
{
    static readonly string Template = $"privacy_template_{Environment.ProcessId}";
    static readonly SemaphoreSlim Gate = new(1, 1);
    static bool _templateReady;

    public static async Task<string> CreateAsync()
    {
        var server = await PostgresServer.GetAsync();
        var name = $"privacy_test_{Guid.NewGuid():N}";
        await Gate.WaitAsync();
        try
        {
            if (!_templateReady)
            {
                await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {Template}");
                await ExecuteAsync(server, $"CREATE DATABASE {Template}");
                var templateConnection = server.ConnectionStringFor(Template);
                await MigrationRunner.MigrateAsync(templateConnection);
                NpgsqlConnection.ClearAllPools();
                _templateReady = true;
            }
            await ExecuteAsync(server, $"CREATE DATABASE {name} TEMPLATE {Template}");
        }
        finally
        {
            Gate.Release();
        }
        return server.ConnectionStringFor(name);
    }

    static async Task ExecuteAsync(PostgresServer server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString + ";Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
