using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Erasure;

/// <summary>Set-based suppression changes. Callers hold the ledger lock, so a cancel and a create never interleave.</summary>
public static class SuppressionWriter
{
    public static async Task SuppressAsync(PrivacyDbContext db, ErasureRequest request, DateTimeOffset now, CancellationToken ct)
    {
        var kinds = request.Subjects.Select(s => SnakeCaseEnumConverter<SubjectKind>.ToText(s.Kind)).ToArray();
        var hashes = request.Subjects.Select(s => s.Hash).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO privacy.suppressions (kind, hash, created_at, request_id)
            SELECT k, h, {now}, {request.Id} FROM unnest({kinds}::text[], {hashes}::bytea[]) AS t(k, h)
            ON CONFLICT (hash) WHERE lifted_at IS NULL DO NOTHING
            """, ct);
    }

    /// <summary>Lifts the request's suppressions that no other live request (anything not cancelled) still covers.</summary>
    public static async Task<List<byte[]>> LiftUncoveredAsync(PrivacyDbContext db, Guid requestId, string actor, string reason,
        DateTimeOffset now, CancellationToken ct) =>
        await db.Database.SqlQuery<byte[]>($"""
            UPDATE privacy.suppressions s
            SET lifted_at = {now}, lifted_by = {actor}, lift_reason = {reason}
            WHERE s.lifted_at IS NULL
              AND s.hash IN (SELECT hash FROM privacy.request_subjects WHERE request_id = {requestId})
              AND NOT EXISTS (
                SELECT 1 FROM privacy.request_subjects o
                JOIN privacy.erasure_requests r ON r.id = o.request_id
                WHERE o.hash = s.hash AND r.id <> {requestId} AND r.status <> 'cancelled')
            RETURNING s.hash AS "Value"
            """).ToListAsync(ct);
}
