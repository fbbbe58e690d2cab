using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.ApiKeys;

sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    KeyDirectory directory, LastUsedRecorder lastUsed)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // The Miso-compatible routes carry Miso keys in the same X-API-KEY header; they are not ours to judge.
        if (Request.Path.StartsWithSegments("/v1"))
            return AuthenticateResult.NoResult();
        if (PresentedKey(Request) is not { } presented)
            return AuthenticateResult.NoResult();

        // When the database cannot say whether a created key is live, this throws: the caller gets 503, never a guess.
        if (await directory.FindAsync(presented, Context.RequestAborted) is not { } holder)
            return AuthenticateResult.Fail("Unknown, revoked or expired API key.");
        if (holder.StoredId is { } id)
            lastUsed.Touch(id);

        var claims = holder.Scopes.Select(s => new Claim(Scopes.ClaimType, s)).Append(new Claim(ClaimTypes.Name, holder.Name));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization["Bearer ".Length..].Trim();
        var header = request.Headers["X-Api-Key"].ToString();
        return header.Length > 0 ? header : null;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.Field("authorization", "Send a valid API key as 'Authorization: Bearer <key>' or 'X-Api-Key'; revoked and expired keys are refused.",
            StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Field("authorization", "This API key does not hold the scope this operation needs.",
            StatusCodes.Status403Forbidden).ExecuteAsync(Context);
}
