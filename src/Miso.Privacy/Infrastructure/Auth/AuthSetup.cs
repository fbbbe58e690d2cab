using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Miso.Privacy.Infrastructure.Auth;

public static class AuthSetup
{
    /// <summary>
    /// One policy per scope, and deny by default: an endpoint mapped with neither <c>RequireAuthorization</c> nor
    /// <c>AllowAnonymous</c> is refused to everyone (401 without a key, 403 with any key), so a route added without a
    /// decision is closed, not open. A request that matches no endpoint runs nothing and still gets its 404.
    /// </summary>
    public static IServiceCollection AddScopeAuthorization(this IServiceCollection services)
    {
        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAssertion(MatchesNoEndpoint).Build());
        foreach (var scope in Scopes.All)
            authorization.AddPolicy(scope, policy => policy.RequireClaim(Scopes.ClaimType, scope));
        return services;
    }

    static bool MatchesNoEndpoint(AuthorizationHandlerContext context) =>
        context.Resource is HttpContext http && http.GetEndpoint() is null;

    /// <summary>The audit actor: the name of the API key that made the call.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";
}
