using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;
using Npgsql;

namespace Miso.Privacy.Migrations;

/// <summary>
/// The one way every environment (run script, tests, compose, production) brings a database up to date. It connects
/// as the owner, which owns every object it creates, and leaves the service's role only the row access in
/// <see cref="ServiceGrants"/>.
/// </summary>
public static class MigrationRunner
{
    public const string PasswordVariable = "MISO_PRIVACY_SERVICE_ROLE_PASSWORD";

    public static async Task MigrateAsync(string connectionString, string serviceRole, string? serviceRolePassword = null,
        CancellationToken ct = default)
    {
        var options = (DbContextOptions<PrivacyDbContext>)DatabaseSetup
            .Configure(new DbContextOptionsBuilder<PrivacyDbContext>(), connectionString).Options;
        await using (var db = new PrivacyDbContext(options))
            await db.Database.MigrateAsync(ct);

        // Hangfire's own tables live beside ours, installed by the same runner so that no instance
        // races another to create them at start, and so that the service's role needs no DDL.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        PostgreSqlObjectsInstaller.Install(connection, Execution.ExecutionSetup.HangfireSchema);
        if (serviceRolePassword is { Length: > 0 })
            await ServiceRoleGrants.EnsureLoginAsync(connection, serviceRole, serviceRolePassword, ct);
        await ServiceRoleGrants.ApplyAsync(connection, serviceRole, ct);
    }

    public static async Task<int> Main(string[] args)
    {
        var connectionString = Argument(args, "--connection") ?? Environment.GetEnvironmentVariable("ConnectionStrings__Privacy");
        var serviceRole = Argument(args, "--service-role") ?? Environment.GetEnvironmentVariable("MISO_PRIVACY_SERVICE_ROLE");
        if (string.IsNullOrWhiteSpace(connectionString) || string.IsNullOrWhiteSpace(serviceRole))
        {
            Console.Error.WriteLine("""
                Give the database as --connection "Host=...;Database=...;Username=<owner>" (or ConnectionStrings__Privacy), and the
                service's role as --service-role <name> (or MISO_PRIVACY_SERVICE_ROLE). With MISO_PRIVACY_SERVICE_ROLE_PASSWORD set,
                the role is created if missing and given that password (the owner then needs CREATEROLE).
                """);
            return 2;
        }
        // The database may still be starting (docker compose): wait up to a minute for it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await MigrateAsync(connectionString, serviceRole, Environment.GetEnvironmentVariable(PasswordVariable));
                Console.WriteLine($"Migrations applied; schema at {SchemaVersion.Required}; role {serviceRole} granted what the service needs.");
                return 0;
            }
            catch (NpgsqlException e) when (e.IsTransient && attempt < 30)
            {
                Console.Error.WriteLine($"Database not reachable yet ({e.Message}); retrying.");
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
            catch (ServiceRoleException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
        }
    }

    static string? Argument(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
}
