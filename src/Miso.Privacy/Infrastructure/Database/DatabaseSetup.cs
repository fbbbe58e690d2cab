using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace Miso.Privacy.Infrastructure.Database;

public static class DatabaseSetup
{
    public const string Schema = "privacy";
    public const string MigrationsAssembly = "Miso.Privacy.Migrations";

    /// <summary>
    /// The one place the connection string is read. Everything reaches PostgreSQL through the one
    /// <see cref="NpgsqlDataSource"/> registered here (Hangfire, plain commands) or through EF Core's pool, except the
    /// pools a feature keeps apart on purpose, which it asks <see cref="SeparatePools"/> for.
    /// </summary>
    public static IServiceCollection AddPrivacyDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Privacy")
            ?? throw new InvalidOperationException("ConnectionStrings:Privacy is not set.");
        // EF Core's pool and the shared one split the connection string's Max Pool Size between them, so that under
        // overload callers queue for a connection instead of PostgreSQL refusing new ones (too many clients).
        var budget = new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize;
        var efShare = Math.Max(1, budget / 2);
        services.AddSingleton(sp => sp.GetRequiredService<SeparatePools>().Create(pool => pool.MaxPoolSize = Math.Max(1, budget - efShare)));
        services.AddSingleton(new SeparatePools(connectionString));
        services.AddKeyedSingleton(EfPoolKey, (sp, _) => sp.GetRequiredService<SeparatePools>().Create(pool => TuneEfPool(pool, efShare)));
        // Interceptors other features register (the webhooks' outbox) ride along with every SaveChanges of the service.
        services.AddDbContext<PrivacyDbContext>((sp, options) => Configure(options, sp.GetRequiredKeyedService<NpgsqlDataSource>(EfPoolKey))
            .AddInterceptors(sp.GetServices<IInterceptor>()));
        return services;
    }

    const string EfPoolKey = "ef-core";

    /// <summary>
    /// EF Core's connections skip the reset on return to the pool (DISCARD ALL and the rest, a statement on every
    /// checkout that also threw away the prepared statements): the service's queries through EF Core never change
    /// session state (no SET, LISTEN, session locks or temporary tables; the ledger lock is transaction-scoped, and
    /// Npgsql still rolls back a transaction left open). Hangfire, which LISTENs on its connections, keeps the
    /// resetting pool. Its statements are prepared after first use, which the reset used to prevent.
    /// </summary>
    static void TuneEfPool(NpgsqlConnectionStringBuilder pool, int maxPoolSize) =>
        (pool.NoResetOnClose, pool.MaxAutoPrepare, pool.MaxPoolSize) = (true, 50, maxPoolSize);

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource, Migrations).UseSnakeCaseNamingConvention();

    /// <summary>For what runs outside the service: the migrations runner, design-time tools, tests.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, Migrations).UseSnakeCaseNamingConvention();

    static void Migrations(NpgsqlDbContextOptionsBuilder npgsql) =>
        npgsql.MigrationsAssembly(MigrationsAssembly).MigrationsHistoryTable("__ef_migrations_history", Schema);
}
