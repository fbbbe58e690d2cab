using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Npgsql;

namespace Miso.Privacy.Suppressions;

public static class SuppressionsApi
{
    internal const string ListenKey = "suppressions-listen";
    internal const string PoolKey = "suppressions-pool";

    public static IServiceCollection AddSuppressions(this IServiceCollection services)
    {
        services.AddOptions<FreshnessOptions>().BindConfiguration(FreshnessOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Its own pool, so version reads and lease renewals never queue behind jobs and reports; prepared after first use.
        // Not reset on return: its statements are single commands that leave no session state behind, and a reset is
        // seven more statements for PostgreSQL with the next one (at every create's freshness wait).
        services.AddKeyedSingleton(PoolKey, (sp, _) => sp.GetRequiredService<SeparatePools>().Create(c =>
            (c.MaxAutoPrepare, c.Timeout, c.NoResetOnClose) = (8, 5, true)));
        // Unpooled, with keepalives: LISTEN holds one connection for good, and after a failure it must get a new one, not a pooled twin.
        services.AddKeyedSingleton(ListenKey, (sp, _) => sp.GetRequiredService<SeparatePools>().Create(c =>
            (c.MaxAutoPrepare, c.Timeout, c.Pooling, c.KeepAlive) = (8, 5, false, 15)));
        services.AddSingleton(sp => new SuppressionStore(sp.GetRequiredKeyedService<NpgsqlDataSource>(PoolKey)));
        services.AddSingleton(sp => new ForwarderLeases(sp.GetRequiredKeyedService<NpgsqlDataSource>(PoolKey)));
        services.AddSingleton<VersionReads>().AddSingleton<SuppressionSync>();
        services.AddSingleton<BlockedUploads>().AddSingleton<BlockedUploadsFlush>().AddHostedService(sp => sp.GetRequiredService<BlockedUploadsFlush>());
        services.AddSingleton<SuppressionLease>().AddSingleton<SuppressionPropagation>();
        services.AddHostedService<SuppressionListener>();
        services.AddHostedService(sp => sp.GetRequiredService<SuppressionLease>());
        services.AddHealthChecks().AddCheck<SuppressionsReadyCheck>("suppressions", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapSuppressions(this IEndpointRouteBuilder app)
    {
        app.MapDelete("/api/v1/suppressions/{kind}/{**value}", LiftSuppression.Handle)
            .RequireAuthorization(Scopes.SuppressionWrite).WithTags("Suppressions");
        return app;
    }
}
