using Microsoft.EntityFrameworkCore;

namespace Miso.Privacy.Infrastructure.Database;

public static class DatabaseSetup
{
    public const string Schema = "privacy";
    public const string MigrationsAssembly = "Miso.Privacy.Migrations";

    public static IServiceCollection AddPrivacyDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Privacy")
            ?? throw new InvalidOperationException("ConnectionStrings:Privacy is not set.");
        services.AddDbContext<PrivacyDbContext>(options => Configure(options, connectionString));
        return services;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql
                .MigrationsAssembly(MigrationsAssembly)
                .MigrationsHistoryTable("__ef_migrations_history", Schema))
            .UseSnakeCaseNamingConvention();
}
