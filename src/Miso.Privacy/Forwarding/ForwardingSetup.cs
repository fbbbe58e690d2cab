using System.Net;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace Miso.Privacy.Forwarding;

public static class ForwardingSetup
{
    public const string CorsPolicy = "miso-uploads";

    public static IServiceCollection AddForwarding(this IServiceCollection services)
    {
        services.AddOptions<ForwardingOptions>().BindConfiguration(ForwardingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ForwardingMetrics>().AddSingleton<MisoKeys>().AddSingleton<MisoForwarder>();
        services.AddHttpForwarder();
        services.AddHttpClient(MisoForwarder.ClientName)
            // The logging handlers' header dumps carry X-API-KEY; failures are logged by the forwarder, without keys.
            .RemoveAllLoggers()
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // As YARP advises for forwarding: nothing added to or taken from what the caller and Miso exchange.
                UseProxy = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None, UseCookies = false,
                EnableMultipleHttp2Connections = true, ConnectTimeout = TimeSpan.FromSeconds(10),
                // The handler is never rotated, so its connections are, for DNS changes to be seen.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        services.AddOptions<MisoRateLimitOptions>().BindConfiguration(MisoRateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Run by the branch of the pipeline that runs the Miso-compatible routes (see MisoRoutes), not globally.
        services.AddSingleton<MisoRateLimit>();

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<ForwardingOptions>>((cors, forwarding) => cors.AddPolicy(CorsPolicy, policy =>
        {
            var origins = forwarding.Value.AllowedOrigins;
            if (origins.Count == 0) policy.AllowAnyOrigin();
            else policy.WithOrigins([.. origins]);
            // What Miso's browser SDK sends; the key is checked on the actual request, since a preflight carries none.
            // Nothing is exposed: the dropped count is for secret keys, which browsers must not hold.
            policy.WithMethods("POST", "GET").WithHeaders("Content-Type", "X-API-KEY").SetPreflightMaxAge(TimeSpan.FromHours(1));
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapForwarding(this IEndpointRouteBuilder app)
    {
        // Miso's own key scheme, not the management API's: each handler checks the Miso key it is given.
        var interactions = app.MapMisoGroup("/v1/interactions");
        interactions.MapPost("", UploadInteractions.Handle).RequireCors(CorsPolicy);
        interactions.MapDelete("", DeleteInteractions.Handle);
        // Secret-key routes (no CORS): user records filtered as interactions are, deletes taken as erasure requests,
        // and reads of suppressed users answered without asking Miso.
        var users = app.MapMisoGroup("/v1/users");
        users.MapPost("", UploadInteractions.HandleUsers);
        users.MapPost("/_delete", DeleteUsers.HandleList);
        users.MapGet("/{user_id}", ReadUser.Handle).ExcludeFromDescription();
        users.MapDelete("/{user_id}", DeleteUsers.HandleOne);
        // Every other Miso route, more specific routes above taking theirs. Miso keys again, checked by the handler.
        app.MapMisoGroup("/v1").Map("/{**path}", PassThrough.Endpoint()).RequireCors(CorsPolicy).ExcludeFromDescription();
        return app;
    }
}
