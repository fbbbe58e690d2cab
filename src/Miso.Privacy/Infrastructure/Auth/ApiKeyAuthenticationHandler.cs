using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Infrastructure.Auth;

sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<ApiKeyOptions> keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    readonly (ApiKeyEntry Entry, byte[] Hash)[] _keys =
        keys.Value.ApiKeys.Select(k => (k, Convert.FromHexString(k.KeySha256))).ToArray();

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // The Miso-compatible routes carry Miso keys in the same X-API-KEY header; they are not ours to judge.
        if (Request.Path.StartsWithSegments("/v1"))
            return Task.FromResult(AuthenticateResult.NoResult());
        var presented = PresentedKey(Request);
        if (presented is null)
            return Task.FromResult(AuthenticateResult.NoResult());

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiKeyEntry? match = null;
        foreach (var (entry, expected) in _keys)
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
                match = entry;
        if (match is null)
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));

        var claims = match.Scopes.Select(s => new Claim(Scopes.ClaimType, s)).Append(new Claim(ClaimTypes.Name, match.Name));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
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
        await Problems.Field("authorization", "Send an API key as 'Authorization: Bearer <key>' or 'X-Api-Key'.",
            StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Field("authorization", "This API key does not hold the scope this operation needs.",
            StatusCodes.Status403Forbidden).ExecuteAsync(Context);
}
