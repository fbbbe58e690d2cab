using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Miso.Privacy.Forwarding;

public static class ForwardingSetup
{
    public const string CorsPolicy = "miso-uploads";
    internal const string ListenKey = "forwarding-listen";
    internal const string PoolKey = "forwarding-pool";

    public static IServiceCollection AddForwarding(this IServiceCollection services)
    {
        services.AddOptions<ForwardingOptions>().BindConfiguration(ForwardingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddKeyedSingleton(PoolKey, (sp, _) => DataSource(sp, pooled: true));
        services.AddKeyedSingleton(ListenKey, (sp, _) => DataSource(sp, pooled: false));
        services.AddSingleton(sp => new SuppressionStore(sp.GetRequiredKeyedService<NpgsqlDataSource>(PoolKey)));
        services.AddSingleton(sp => new ForwarderLeases(sp.GetRequiredKeyedService<NpgsqlDataSource>(PoolKey)));
        services.AddSingleton<VersionReads>().AddSingleton<SuppressionSync>().AddSingleton<ForwardingMetrics>().AddSingleton<MisoKeys>();
        services.AddSingleton<SuppressionLease>().AddSingleton<SuppressionPropagation>();
        services.AddHostedService<SuppressionListener>();
        services.AddHostedService(sp => sp.GetRequiredService<SuppressionLease>());
        services.AddHealthChecks().AddCheck<SuppressionsReadyCheck>("suppressions", tags: ["ready"]);

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<ForwardingOptions>>((cors, forwarding) => cors.AddPolicy(CorsPolicy, policy =>
        {
            var origins = forwarding.Value.AllowedOrigins;
            if (origins.Count == 0) policy.AllowAnyOrigin();
            else policy.WithOrigins([.. origins]);
            // What Miso's browser SDK sends; the key is checked on the actual request, since a preflight carries none.
            policy.WithMethods("POST").WithHeaders("Content-Type", "X-API-KEY").WithExposedHeaders(UploadInteractions.DroppedHeader)
                .SetPreflightMaxAge(TimeSpan.FromHours(1));
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapForwarding(this IEndpointRouteBuilder app)
    {
        // Miso's own key scheme, not the management API's: these routes are reached with Miso keys.
        var interactions = app.MapGroup("/v1/interactions").WithTags("Miso-compatible");
        interactions.MapPost("", UploadInteractions.Handle).RequireCors(CorsPolicy);
        interactions.MapDelete("", DeleteInteractions.Handle);
        return app;
    }

    /// <summary>Its own pool, so version reads and lease renewals never queue behind jobs and reports; prepared after first use.</summary>
    static NpgsqlDataSource DataSource(IServiceProvider services, bool pooled)
    {
        var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString("Privacy")
            ?? throw new InvalidOperationException("ConnectionStrings:Privacy is not set.");
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.MaxAutoPrepare = 8;
        builder.ConnectionStringBuilder.Timeout = 5;
        if (!pooled)
        {
            builder.ConnectionStringBuilder.Pooling = false;
            builder.ConnectionStringBuilder.KeepAlive = 15;
        }
        return builder.Build();
    }
}
