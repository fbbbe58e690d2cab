using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Miso.Privacy.IntegrationTests.Webhooks;

/// <summary>
/// A receiver's check, written from Standard Webhooks 1.0 ("Verifying signatures") and not from the service's code:
/// HMAC-SHA256 with the base64 key after <c>whsec_</c> over <c>id.timestamp.body</c>, compared in constant time with each
/// <c>v1,</c> signature of the space-separated list, and the timestamp within five minutes.
/// </summary>
public static class StandardWebhooksVerifier
{
    public static bool Verifies(string secret, ReceivedCall call, TimeSpan? tolerance = null)
    {
        var id = call.Header("webhook-id");
        var timestamp = call.Header("webhook-timestamp");
        var signatures = call.Header("webhook-signature");
        if (id.Length == 0 || id.Contains('.') || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return false;
        if ((call.At - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > (tolerance ?? TimeSpan.FromMinutes(5)))
            return false;
        Assert.StartsWith("whsec_", secret);
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        byte[] content = [.. Encoding.UTF8.GetBytes($"{id}.{timestamp}."), .. call.Body];
        var expected = HMACSHA256.HashData(key, content);
        foreach (var signature in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = signature.Split(',', 2);
            if (parts.Length != 2 || parts[0] != "v1")
                continue;
            var given = new byte[64];
            if (Convert.TryFromBase64String(parts[1], given, out var length) && CryptographicOperations.FixedTimeEquals(expected, given.AsSpan(0, length)))
                return true;
        }
        return false;
    }
}
