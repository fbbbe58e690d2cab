using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Erasure;

/// <summary>Set-based suppression changes. Callers hold the ledger lock, so a cancel and a create never interleave.</summary>
public static class SuppressionWriter
{
    public const string Channel = "miso_privacy_suppressions";

    public static async Task SuppressAsync(PrivacyDbContext db, SubjectHasher hasher, ErasureRequest request, DateTimeOffset now,
        CancellationToken ct)
    {
        var kinds = request.Subjects.Select(s => SnakeCaseEnumConverter<SubjectKind>.ToText(s.Kind)).ToArray();
        var hashes = request.Subjects.Select(s => s.Hash).ToArray();
        var lookupKeys = request.Subjects.Select(s => unchecked((long)hasher.LookupKey(s.Kind, s.Value!))).ToArray();
        var version = await NextVersionAsync(db, ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO privacy.suppressions (kind, hash, lookup_key, created_at, request_id, version)
            SELECT k, h, l, {now}, {request.Id}, {version}
            FROM unnest({kinds}::text[], {hashes}::bytea[], {lookupKeys}::bigint[]) AS t(k, h, l)
            ON CONFLICT (hash) WHERE lifted_at IS NULL DO NOTHING
            """, ct);
    }

    /// <summary>
    /// Bumps the set's version and tells every instance (delivered on commit). Callers hold the ledger
    /// lock, so versions commit in order.
    /// </summary>
    public static async Task<long> NextVersionAsync(PrivacyDbContext db, CancellationToken ct)
    {
        var version = (await db.Database.SqlQuery<long>($"""
            UPDATE privacy.suppression_state SET version = version + 1 WHERE id = 1 RETURNING version AS "Value"
            """).ToListAsync(ct)).Single();
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {version.ToString(System.Globalization.CultureInfo.InvariantCulture)})", ct);
        return version;
    }

    /// <summary>Lifts the request's suppressions that no other live request (anything not cancelled) still covers.</summary>
    public static async Task<List<byte[]>> LiftUncoveredAsync(PrivacyDbContext db, Guid requestId, string actor, string reason,
        DateTimeOffset now, CancellationToken ct)
    {
        var version = await NextVersionAsync(db, ct);
        return await db.Database.SqlQuery<byte[]>($"""
            UPDATE privacy.suppressions s
            SET lifted_at = {now}, lifted_by = {actor}, lift_reason = {reason}, lifted_version = {version}
            WHERE s.lifted_at IS NULL
              AND s.hash IN (SELECT hash FROM privacy.request_subjects WHERE request_id = {requestId})
              AND NOT EXISTS (
                SELECT 1 FROM privacy.request_subjects o
                JOIN privacy.erasure_requests r ON r.id = o.request_id
                WHERE o.hash = s.hash AND r.id <> {requestId} AND r.status <> 'cancelled')
            RETURNING s.hash AS "Value"
            """).ToListAsync(ct);
    }
}
