using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Signing;

public sealed record Jwk(string Kid, string Kty, string Crv, string X, string Y, string Alg, string Use);

public sealed record JwkSet(IReadOnlyList<Jwk> Keys);

/// <summary>
/// The public halves of every configured key, as a JWKS and as PEM for openssl. Open to anyone on purpose: a public key
/// is public, and an auditor verifies offline, without an API key.
/// </summary>
public static class SigningApi
{
    public static IServiceCollection AddSigning(this IServiceCollection services)
    {
        services.AddOptions<SigningOptions>().BindConfiguration(SigningOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SigningOptions>, SigningOptionsValidation>();
        services.AddSingleton(sp => SigningKeys.Load(sp.GetRequiredService<IOptions<SigningOptions>>()));
        return services;
    }

    public static IEndpointRouteBuilder MapSigning(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/v1/reports/signing-keys").WithTags("Reports").AllowAnonymous();
        keys.MapGet("/", List);
        keys.MapGet("/{kid}.pem", Pem);
        return app;
    }

    static Ok<JwkSet> List(SigningKeys keys) =>
        TypedResults.Ok(new JwkSet(keys.All.Select(k => new Jwk(k.Kid, "EC", "P-256", k.X, k.Y, SigningKey.Algorithm, "sig")).ToList()));

    static Results<ContentHttpResult, ProblemHttpResult> Pem(string kid, SigningKeys keys)
    {
        if (keys.Find(kid) is { } key)
            return TypedResults.Text(key.PublicKeyPem, "application/x-pem-file");
        var shown = kid.Length <= 64 ? kid : kid[..64] + "…";
        return Problems.Field("kid", $"No signing key has the kid '{shown}'.", StatusCodes.Status404NotFound);
    }
}
