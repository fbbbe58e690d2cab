using System.Security.Cryptography;
using System.Text.Json;

namespace Miso.Privacy.Cli.Reports;

/// <summary>The public keys of a JWKS (RFC 7517) that can check ES256 signatures: EC keys on P-256, by kid.</summary>
sealed class KeySet(IReadOnlyDictionary<string, ECParameters> keys)
{
    public IEnumerable<string> Kids => keys.Keys;

    public ECParameters? Find(string kid) => keys.TryGetValue(kid, out var key) ? key : null;

    /// <summary>Null and why when the text is not a JWKS; keys of other types are passed over, as RFC 7517 §5 says.</summary>
    public static (KeySet? Keys, string? Problem) Parse(string json)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException)
        {
            return (null, "the key set is not JSON");
        }
        if (root.Child("keys") is not { ValueKind: JsonValueKind.Array } list)
            return (null, "the key set has no \"keys\" array (a JWKS, such as /api/v1/reports/signing-keys gives)");
        var keys = new Dictionary<string, ECParameters>(StringComparer.Ordinal);
        foreach (var key in list.EnumerateArray())
        {
            if (key.Text("kty") != "EC" || key.Text("crv") != "P-256" || key.Text("kid") is not { } kid
                || Coordinate(key.Text("x")) is not { } x || Coordinate(key.Text("y")) is not { } y)
                continue;
            var parameters = new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } };
            try
            {
                using var _ = ECDsa.Create(parameters);
            }
            catch (CryptographicException)
            {
                return (null, $"the key set's key '{kid}' is not a point on P-256");
            }
            keys.TryAdd(kid, parameters);
        }
        return (new KeySet(keys), null);
    }

    static byte[]? Coordinate(string? base64Url)
    {
        if (base64Url is null)
            return null;
        var padded = base64Url.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        var bytes = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, bytes, out var length) && length == 32 ? bytes[..32] : null;
    }
}
