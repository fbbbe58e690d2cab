using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Signing;

namespace Miso.Privacy.Audit;

/// <summary>
/// A signed statement that the chain's head was (seq, hash) at a time. An auditor keeps it; later, the event at that
/// seq must still have that hash (<c>GET /audit/verify?checkpoint=seq:hash</c>), or the chain was rewritten or cut.
/// The signature is ES256 (DER, base64) over <see cref="SignedText"/>, so openssl checks it with the published key.
/// </summary>
public sealed record Checkpoint(long Seq, string Hash, string At, string Kid, string Signature)
{
    public static string SignedText(long seq, string hash, string at, string kid) =>
        string.Create(CultureInfo.InvariantCulture, $"miso-privacy-checkpoint\nseq={seq}\nhash={hash}\nat={at}\nkid={kid}\n");

    /// <summary>UTC to the microsecond, the chain's own time format.</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>An empty chain's head is seq 0 with the genesis hash, so every chain has a checkpoint.</summary>
    public static Checkpoint Sign(ChainHead? head, DateTimeOffset at, SigningKey key)
    {
        var seq = head?.Seq ?? 0;
        var hash = head?.Hash ?? Convert.ToHexStringLower(AuditHashing.Genesis);
        var time = Time(at);
        return new Checkpoint(seq, hash, time, key.Kid, key.Sign(SignedText(seq, hash, time, key.Kid)));
    }

    public static async Task<ChainHead?> HeadAsync(PrivacyDbContext db, CancellationToken ct)
    {
        var head = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Seq).Select(e => new { e.Seq, e.Hash }).FirstOrDefaultAsync(ct);
        return head is null ? null : new ChainHead(head.Seq, Convert.ToHexStringLower(head.Hash));
    }

    /// <summary><c>seq:hash</c> as an auditor gives it back: a whole number and 64 hex digits.</summary>
    public static ChainHead? Parse(string text)
    {
        var colon = text.IndexOf(':');
        if (colon <= 0 || colon > 19 || text.Length - colon - 1 != 64
            || !long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            || !text[(colon + 1)..].All(char.IsAsciiHexDigit))
            return null;
        var hash = text[(colon + 1)..].ToLowerInvariant();
        return seq == 0 && hash != Convert.ToHexStringLower(AuditHashing.Genesis) ? null : new ChainHead(seq, hash);
    }
}
