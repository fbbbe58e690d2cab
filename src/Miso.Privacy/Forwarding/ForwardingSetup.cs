using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace Miso.Privacy.Forwarding;

public static class ForwardingSetup
{
    public const string CorsPolicy = "miso-uploads";

    public static IServiceCollection AddForwarding(this IServiceCollection services)
    {
        services.AddOptions<ForwardingOptions>().BindConfiguration(ForwardingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ForwardingMetrics>().AddSingleton<MisoKeys>();
        services.AddOptions<MisoRateLimitOptions>().BindConfiguration(MisoRateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter => limiter.AddPolicy<string, MisoRateLimit>(MisoRateLimit.Policy));

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<ForwardingOptions>>((cors, forwarding) => cors.AddPolicy(CorsPolicy, policy =>
        {
            var origins = forwarding.Value.AllowedOrigins;
            if (origins.Count == 0) policy.AllowAnyOrigin();
            else policy.WithOrigins([.. origins]);
            // What Miso's browser SDK sends; the key is checked on the actual request, since a preflight carries none.
            // Nothing is exposed: the dropped count is for secret keys, which browsers must not hold.
            policy.WithMethods("POST").WithHeaders("Content-Type", "X-API-KEY").SetPreflightMaxAge(TimeSpan.FromHours(1));
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapForwarding(this IEndpointRouteBuilder app)
    {
        // Miso's own key scheme, not the management API's: each handler checks the Miso key it is given.
        var interactions = app.MapGroup("/v1/interactions").WithTags("Miso-compatible").AllowAnonymous().RequireRateLimiting(MisoRateLimit.Policy);
        interactions.MapPost("", UploadInteractions.Handle).RequireCors(CorsPolicy);
        interactions.MapDelete("", DeleteInteractions.Handle);
        return app;
    }
}
