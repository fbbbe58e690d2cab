using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;
using Npgsql;

namespace Miso.Privacy.Migrations;

/// <summary>The one way every environment (run script, tests, compose, production) brings a database up to date.</summary>
public static class MigrationRunner
{
    public static async Task MigrateAsync(string connectionString, CancellationToken ct = default)
    {
        var options = (DbContextOptions<PrivacyDbContext>)DatabaseSetup
            .Configure(new DbContextOptionsBuilder<PrivacyDbContext>(), connectionString).Options;
        await using var db = new PrivacyDbContext(options);
        await db.Database.MigrateAsync(ct);

        // Hangfire's own tables live beside ours, installed by the same runner so that no instance
        // races another to create them at start.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        PostgreSqlObjectsInstaller.Install(connection, Execution.ExecutionSetup.HangfireSchema);
    }


    public static async Task<int> Main(string[] args)
    {
        var connectionString = args.SkipWhile(a => a != "--connection").Skip(1).FirstOrDefault()
            ?? Environment.GetEnvironmentVariable("ConnectionStrings__Privacy");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Console.Error.WriteLine("Give the database as --connection \"Host=...;Database=...\" or ConnectionStrings__Privacy.");
            return 2;
        }
        // The database may still be starting (docker compose): wait up to a minute for it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await MigrateAsync(connectionString);
                Console.WriteLine($"Migrations applied; schema at {SchemaVersion.Required}.");
                return 0;
            }
            catch (NpgsqlException e) when (e.IsTransient && attempt < 30)
            {
                Console.Error.WriteLine($"Database not reachable yet ({e.Message}); retrying.");
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }
}
