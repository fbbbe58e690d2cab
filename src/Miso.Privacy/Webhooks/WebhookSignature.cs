using System.Security.Cryptography;
using System.Text;

namespace Miso.Privacy.Webhooks;

/// <summary>
/// Standard Webhooks 1.0, symmetric: <c>v1,</c> and base64 of HMAC-SHA256 over <c>id.timestamp.body</c>, under a secret
/// shown to its holder as <c>whsec_</c> and base64 of 32 random bytes (the spec allows 24 to 64).
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public const int SecretBytes = 32;

    public static (string Shown, byte[] Key) NewSecret()
    {
        var key = RandomNumberGenerator.GetBytes(SecretBytes);
        return (SecretPrefix + Convert.ToBase64String(key), key);
    }

    /// <summary>The key inside a <c>whsec_</c> secret (or a bare base64 one, as the spec's libraries accept).</summary>
    public static byte[] KeyOf(string secret) =>
        Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);

    public static string Sign(byte[] key, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }

    /// <summary>The <c>webhook-id</c> of an event: the same on every attempt and every redelivery, free of the spec's '.' delimiter.</summary>
    public static string MessageId(Guid eventId) => "msg_" + eventId.ToString("N");
}
