using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Subjects;

namespace Miso.Privacy.Suppressions;

/// <summary>A subject to suppress, while its raw id is still at hand to compute the lookup key from.</summary>
public sealed record SubjectToSuppress(SubjectKind Kind, string Value, byte[] Hash);

/// <summary>Set-based suppression changes. Callers hold the ledger lock, so a cancel and a create never interleave.</summary>
public static class SuppressionWriter
{
    public const string Channel = "miso_privacy_suppressions";

    public static async Task SuppressAsync(PrivacyDbContext db, SubjectHasher hasher, Guid requestId,
        IReadOnlyCollection<SubjectToSuppress> subjects, DateTimeOffset now, CancellationToken ct)
    {
        var kinds = subjects.Select(s => SnakeCaseEnumConverter<SubjectKind>.ToText(s.Kind)).ToArray();
        var hashes = subjects.Select(s => s.Hash).ToArray();
        var lookupKeys = subjects.Select(s => unchecked((long)hasher.LookupKey(s.Kind, s.Value))).ToArray();
        var version = await NextVersionAsync(db, ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO privacy.suppressions (kind, hash, lookup_key, created_at, request_id, version)
            SELECT k, h, l, {now}, {requestId}, {version}
            FROM unnest({kinds}::text[], {hashes}::bytea[], {lookupKeys}::bigint[]) AS t(k, h, l)
            ON CONFLICT (hash) WHERE lifted_at IS NULL DO NOTHING
            """, ct);
    }

    /// <summary>Lifts the active suppressions among <paramref name="hashes"/>; returns the hashes it lifted.</summary>
    public static async Task<List<byte[]>> LiftAsync(PrivacyDbContext db, IReadOnlyCollection<byte[]> hashes, string actor,
        string reason, DateTimeOffset now, CancellationToken ct)
    {
        var version = await NextVersionAsync(db, ct);
        var candidates = hashes.ToArray();
        return await db.Database.SqlQuery<byte[]>($"""
            UPDATE privacy.suppressions
            SET lifted_at = {now}, lifted_by = {actor}, lift_reason = {reason}, lifted_version = {version}
            WHERE lifted_at IS NULL AND hash = ANY({candidates})
            RETURNING hash AS "Value"
            """).ToListAsync(ct);
    }

    /// <summary>
    /// Bumps the set's version and tells every instance (delivered on commit). Callers hold the ledger
    /// lock, so versions commit in order.
    /// </summary>
    static async Task<long> NextVersionAsync(PrivacyDbContext db, CancellationToken ct)
    {
        var version = (await db.Database.SqlQuery<long>($"""
            UPDATE privacy.suppression_state SET version = version + 1 WHERE id = 1 RETURNING version AS "Value"
            """).ToListAsync(ct)).Single();
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {version.ToString(CultureInfo.InvariantCulture)})", ct);
        return version;
    }
}
