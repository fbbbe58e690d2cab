using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Miso.Privacy.Retention;

/// <summary>
/// Envelope encryption for the identifiers a completed request keeps for its sweeps: each request has its own
/// random data key, stored only wrapped (AES-GCM) by <c>Privacy:RetentionKey</c>; each identifier is sealed (AES-GCM)
/// under the data key. The associated data binds a wrapped key to its request and a sealed value to its request and
/// subject row, so rows copied between requests or subjects fail to open. Destroying the wrapped key destroys every
/// value of the request at once (crypto-shredding), whatever copies of the ciphertext backups hold.
/// Layout of both: nonce (12) ‖ ciphertext ‖ tag (16).
/// </summary>
public sealed class RetentionEnvelope
{
    public const int KeyBytes = 32;
    const int NonceBytes = 12;
    const int TagBytes = 16;
    static readonly byte[] KeyContext = "miso-privacy/data-key/v1"u8.ToArray();
    static readonly byte[] ValueContext = "miso-privacy/subject/v1"u8.ToArray();

    readonly byte[] _retentionKey;

    public RetentionEnvelope(byte[] retentionKey)
    {
        if (retentionKey.Length != KeyBytes)
            throw new ArgumentException($"The retention key must be {KeyBytes} bytes.", nameof(retentionKey));
        _retentionKey = retentionKey;
    }

    /// <summary>A fresh data key for the request, and its wrapped form, the only one ever stored.</summary>
    public (byte[] DataKey, byte[] Wrapped) NewDataKey(Guid requestId)
    {
        var dataKey = RandomNumberGenerator.GetBytes(KeyBytes);
        return (dataKey, Encrypt(_retentionKey, dataKey, KeyAad(requestId)));
    }

    /// <exception cref="CryptographicException">The wrapped key was altered, or belongs to another request.</exception>
    public byte[] Unwrap(Guid requestId, byte[] wrapped) => Decrypt(_retentionKey, wrapped, KeyAad(requestId));

    public static byte[] Seal(byte[] dataKey, Guid requestId, long subjectId, string value) =>
        Encrypt(dataKey, Encoding.UTF8.GetBytes(value), ValueAad(requestId, subjectId));

    /// <exception cref="CryptographicException">The value was altered, or belongs to another request or subject.</exception>
    public static string Open(byte[] dataKey, Guid requestId, long subjectId, byte[] sealedValue) =>
        Encoding.UTF8.GetString(Decrypt(dataKey, sealedValue, ValueAad(requestId, subjectId)));

    static byte[] Encrypt(byte[] key, byte[] plaintext, byte[] aad)
    {
        var output = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceBytes, plaintext.Length), output.AsSpan(NonceBytes + plaintext.Length), aad);
        return output;
    }

    static byte[] Decrypt(byte[] key, byte[] sealedBytes, byte[] aad)
    {
        if (sealedBytes.Length < NonceBytes + TagBytes)
            throw new CryptographicException("Too short to be sealed by this envelope.");
        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var plaintext = new byte[length];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length),
            sealedBytes.AsSpan(NonceBytes + length), plaintext, aad);
        return plaintext;
    }

    static byte[] KeyAad(Guid requestId) => [.. KeyContext, .. requestId.ToByteArray(bigEndian: true)];

    static byte[] ValueAad(Guid requestId, long subjectId)
    {
        var subject = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(subject, subjectId);
        return [.. ValueContext, .. requestId.ToByteArray(bigEndian: true), .. subject];
    }
}
