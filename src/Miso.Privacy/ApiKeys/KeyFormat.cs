using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Miso.Privacy.ApiKeys;

/// <summary>
/// What a created key looks like: <c>mpk_</c> and 32 random bytes in base64url, 256 bits a guess cannot find, so one
/// unsalted SHA-256 is enough to store it. The prefix is recognisable in a leaked secret scan and in a config file.
/// </summary>
public static class KeyFormat
{
    public const string Marker = "mpk_";
    public const int RandomBytes = 32;

    /// <summary>The marker and 8 characters of the secret (48 of its 256 bits): shown in lists, safe to log.</summary>
    public const int PrefixLength = 12;

    public static readonly int Length = Marker.Length + Base64Url.GetEncodedLength(RandomBytes);

    public static (string Key, byte[] Sha256, string Prefix) Generate()
    {
        var key = Marker + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));
        return (key, Sha256(key), key[..PrefixLength]);
    }

    public static byte[] Sha256(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Only a value of this shape can be a created key; anything else is never looked up.</summary>
    public static bool CouldBeCreated(string presented) =>
        presented.Length == Length && presented.StartsWith(Marker, StringComparison.Ordinal);
}
