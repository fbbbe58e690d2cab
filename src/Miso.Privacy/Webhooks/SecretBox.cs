using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Miso.Privacy.Subjects;

namespace Miso.Privacy.Webhooks;

/// <summary>
/// Webhook and callback secrets must be read back to sign (HMAC is symmetric), so they cannot be hashed like API keys:
/// they are stored sealed with AES-256-GCM under a key derived (HKDF) from the server secret, bound to the row they belong
/// to. A copy of the database alone holds no usable secret, and a sealed secret moved to another row does not open.
/// </summary>
public sealed class SecretBox(IOptions<SubjectHashingOptions> options)
{
    const int NonceBytes = 12;
    const int TagBytes = 16;

    readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Convert.FromBase64String(options.Value.SubjectHashKey), 32,
        info: Encoding.UTF8.GetBytes("miso-privacy webhook secrets v1"));

    public byte[] Seal(byte[] secret, string owner)
    {
        var sealedBytes = new byte[NonceBytes + secret.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, secret, sealedBytes.AsSpan(NonceBytes, secret.Length), sealedBytes.AsSpan(NonceBytes + secret.Length), Encoding.UTF8.GetBytes(owner));
        return sealedBytes;
    }

    public byte[] Open(byte[] sealedBytes, string owner)
    {
        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var secret = new byte[length];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), secret,
            Encoding.UTF8.GetBytes(owner));
        return secret;
    }

    public static string WebhookOwner(Guid webhookId) => "webhook:" + webhookId;

    public static string CallbackOwner(string keyName) => "callback-secret:" + keyName;
}
