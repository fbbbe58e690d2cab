using Microsoft.AspNetCore.Authentication;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.ApiKeys;

/// <summary>Who a caller is: configured keys, keys created and revoked through the API, and the scheme that reads them.</summary>
public static class ApiKeysApi
{
    internal const string PoolKey = "api-keys-pool";
    internal const string ListenKey = "api-keys-listen";

    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        // Its own small pool, so authenticating never queues behind jobs and exports.
        services.AddKeyedSingleton(PoolKey, (sp, _) => sp.GetRequiredService<SeparatePools>().Create(c =>
            (c.MaxAutoPrepare, c.Timeout, c.CommandTimeout, c.MaxPoolSize) = (4, 5, 5, 8)));
        services.AddKeyedSingleton(ListenKey, (sp, _) => sp.GetRequiredService<SeparatePools>().Create(c =>
            (c.Timeout, c.Pooling, c.KeepAlive) = (5, false, 15)));
        services.AddSingleton<KeyDirectory>().AddSingleton<LastUsedRecorder>();
        services.AddHostedService<KeyChangeListener>();
        return services;
    }

    public static IEndpointRouteBuilder MapApiKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/v1/keys").WithTags("API keys").RequireAuthorization(Scopes.Admin);
        keys.MapPost("/", CreateApiKey.Handle);
        keys.MapGet("/", ListApiKeys.Handle);
        keys.MapDelete("/{id}", RevokeApiKey.Handle);
        return app;
    }
}
