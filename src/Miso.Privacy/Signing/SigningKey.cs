using System.Security.Cryptography;
using System.Text;

namespace Miso.Privacy.Signing;

/// <summary>
/// One configured key: its public half, published as a JWK and as PEM, and (only on the server, only if configured)
/// its private half. ES256 is ECDSA over P-256 with SHA-256, from the base library: no native dependency, and
/// <c>openssl dgst -sha256 -verify</c> checks its DER signatures on any machine.
/// </summary>
public sealed class SigningKey
{
    public const string Algorithm = "ES256";

    readonly ECParameters? _private;

    SigningKey(string kid, ECParameters publicKey, ECParameters? privateKey)
    {
        Kid = kid;
        X = Base64Url(publicKey.Q.X!);
        Y = Base64Url(publicKey.Q.Y!);
        using var ecdsa = ECDsa.Create(publicKey);
        PublicKeyPem = ecdsa.ExportSubjectPublicKeyInfoPem() + "\n";
        _private = privateKey;
    }

    public string Kid { get; }
    public string X { get; }
    public string Y { get; }
    public string PublicKeyPem { get; }
    public bool CanSign => _private is not null;

    /// <summary>Base64 of the DER (RFC 3279) signature, the form openssl reads with <c>-signature</c>.</summary>
    public string Sign(string text)
    {
        using var ecdsa = ECDsa.Create(_private ?? throw new InvalidOperationException($"Key {Kid} has no private key."));
        return Convert.ToBase64String(ecdsa.SignData(Encoding.UTF8.GetBytes(text), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    public bool Verify(string text, string signature)
    {
        var bytes = new byte[signature.Length];
        if (!Convert.TryFromBase64String(signature, bytes, out var length))
            return false;
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = FromBase64Url(X), Y = FromBase64Url(Y) } });
        return ecdsa.VerifyData(Encoding.UTF8.GetBytes(text), bytes.AsSpan(0, length), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>Reads a PEM (PKCS#8, SEC1 or SubjectPublicKeyInfo); null and a reason when it is not an unencrypted EC P-256 key.</summary>
    public static (SigningKey? Key, string? Problem) FromPem(string? kid, string pem, bool isPrivate)
    {
        using var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
        }
        catch (ArgumentException)
        {
            return (null, "is not a PEM holding an unencrypted EC key");
        }
        catch (CryptographicException)
        {
            return (null, "is not a PEM holding an unencrypted EC key");
        }
        ECParameters parameters;
        try
        {
            parameters = ecdsa.ExportParameters(isPrivate);
        }
        catch (CryptographicException)
        {
            return (null, "holds no private key");
        }
        if (parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            return (null, "is not on the P-256 curve (prime256v1)");
        var publicKey = new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = parameters.Q };
        return (new SigningKey(kid ?? Thumbprint(publicKey), publicKey, isPrivate ? parameters : null), null);
    }

    /// <summary>RFC 7638: SHA-256 of the required members in lexicographic order, no whitespace.</summary>
    static string Thumbprint(ECParameters key) =>
        Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"crv":"P-256","kty":"EC","x":"{{Base64Url(key.Q.X!)}}","y":"{{Base64Url(key.Q.Y!)}}"}""")));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }
}
