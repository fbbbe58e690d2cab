using System.Security.Cryptography;
using System.Text;

namespace Miso.Emulator.Pipeline;

/// <summary>
/// Ids Miso would draw at random (task ids, <c>miso_id</c>, question ids) derived from the call instead, so two
/// identical calls get identical answers: a proxy's answer can be compared byte for byte with the emulator's.
/// </summary>
static class StableIds
{
    public static Guid From(string route, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(route));
        hash.AppendData([0]);
        hash.AppendData(body);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        // RFC 9562 version 8 (custom) and variant bits, so the value is a well-formed uuid.
        digest[6] = (byte)((digest[6] & 0x0F) | 0x80);
        digest[8] = (byte)((digest[8] & 0x3F) | 0x80);
        return new Guid(digest[..16], bigEndian: true);
    }

    public static string Uuid(string route, ReadOnlySpan<byte> body) => From(route, body).ToString("D");

    public static string TaskId(string route, ReadOnlySpan<byte> body) => From(route, body).ToString("N");

    /// <summary>A stable 32-bit number for ranking and variant choices; <see cref="string.GetHashCode()"/> differs per process.</summary>
    public static uint Number(string text) => BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);
}
