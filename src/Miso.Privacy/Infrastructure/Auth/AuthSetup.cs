using System.Security.Claims;

namespace Miso.Privacy.Infrastructure.Auth;

public static class AuthSetup
{
    /// <summary>One policy per scope; the keys that carry scopes are the ApiKeys feature's.</summary>
    public static IServiceCollection AddScopeAuthorization(this IServiceCollection services)
    {
        var authorization = services.AddAuthorizationBuilder();
        foreach (var scope in Scopes.All)
            authorization.AddPolicy(scope, policy => policy.RequireClaim(Scopes.ClaimType, scope));
        return services;
    }

    /// <summary>The audit actor: the name of the API key that made the call.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";
}
