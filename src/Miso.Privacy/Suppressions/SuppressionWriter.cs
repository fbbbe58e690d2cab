using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Subjects;
using Npgsql;

namespace Miso.Privacy.Suppressions;

/// <summary>A subject to suppress, while its raw id is still at hand to compute the lookup key from.</summary>
public sealed record SubjectToSuppress(SubjectKind Kind, string Value, byte[] Hash);

/// <summary>One request's subjects to suppress in its environments.</summary>
public sealed record SuppressionWrite(Guid RequestId, IReadOnlyCollection<SubjectToSuppress> Subjects, IReadOnlyCollection<string> Environments,
    DateTimeOffset Now);

/// <summary>A subject's suppression in one environment.</summary>
public sealed record SuppressionTarget(byte[] Hash, string Environment);

/// <summary>Set-based suppression changes. Callers hold the ledger lock, so a cancel and a create never interleave.</summary>
public static class SuppressionWriter
{
    public const string Channel = "miso_privacy_suppressions";

    /// <summary>
    /// One row per subject and environment, unless the subject already has one there, or has an every-environment
    /// row from before suppressions were kept per environment (which already covers it). Several requests' rows go in
    /// one statement, under one version; where two of them name the same subject, the first keeps the row. For a batch
    /// sent after the ledger lock: the version bump, its notification and the rows in one statement, so one round trip
    /// while the lock is held.
    /// </summary>
    public static NpgsqlBatchCommand SuppressCommand(SubjectHasher hasher, IReadOnlyCollection<SuppressionWrite> writes)
    {
        var rows = writes.SelectMany(w => w.Subjects.SelectMany(s => w.Environments.Select(e => (w, s, e)))).ToList();
        var command = new NpgsqlBatchCommand("""
            WITH v AS (UPDATE privacy.suppression_state SET version = version + 1 WHERE id = 1 RETURNING version),
            notified AS (SELECT pg_notify($1, v.version::text) FROM v),
            inserted AS (
                INSERT INTO privacy.suppressions (kind, hash, lookup_key, created_at, request_id, version, environment)
                SELECT t.k, t.h, t.l, t.c, t.r, v.version, t.e
                FROM v, unnest($2::text[], $3::bytea[], $4::bigint[], $5::timestamptz[], $6::uuid[], $7::text[]) WITH ORDINALITY AS t(k, h, l, c, r, e, n)
                WHERE NOT EXISTS (SELECT 1 FROM privacy.suppressions a WHERE a.lifted_at IS NULL AND a.hash = t.h AND a.environment IS NULL)
                ORDER BY t.n
                ON CONFLICT (hash, environment) WHERE lifted_at IS NULL DO NOTHING)
            SELECT v.version FROM v, notified
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Channel });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => SnakeCaseEnumConverter<SubjectKind>.ToText(r.s.Kind)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.s.Hash).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => unchecked((long)hasher.LookupKey(r.s.Kind, r.s.Value))).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.w.Now).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.w.RequestId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.e).ToArray() });
        return command;
    }

    /// <summary>
    /// Lifts the active suppressions among <paramref name="targets"/>; returns the targets it lifted. An
    /// every-environment row lifted in some environments is replaced by one row per other configured environment
    /// (<paramref name="configured"/>), so the subject stays suppressed wherever it was not lifted.
    /// </summary>
    public static async Task<List<SuppressionTarget>> LiftAsync(PrivacyDbContext db, IReadOnlyCollection<SuppressionTarget> targets,
        IReadOnlyCollection<string> configured, string actor, string reason, DateTimeOffset now, CancellationToken ct)
    {
        if (targets.Count == 0)
            return [];
        var version = await NextVersionAsync(db, ct);
        var hashes = targets.Select(t => t.Hash).ToArray();
        var environments = targets.Select(t => t.Environment).ToArray();
        var others = configured.ToArray();
        return await db.Database.SqlQuery<SuppressionTarget>($"""
            WITH t AS (SELECT * FROM unnest({hashes}::bytea[], {environments}::text[]) AS t(hash, environment)),
            lifted AS (
                UPDATE privacy.suppressions s
                SET lifted_at = {now}, lifted_by = {actor}, lift_reason = {reason}, lifted_version = {version}
                WHERE s.lifted_at IS NULL
                  AND EXISTS (SELECT 1 FROM t WHERE t.hash = s.hash AND (s.environment IS NULL OR s.environment = t.environment))
                RETURNING s.kind, s.hash, s.lookup_key, s.created_at, s.request_id, s.environment),
            kept AS (
                INSERT INTO privacy.suppressions (kind, hash, lookup_key, created_at, request_id, version, environment)
                SELECT l.kind, l.hash, l.lookup_key, l.created_at, l.request_id, {version}, e.name
                FROM lifted l CROSS JOIN unnest({others}::text[]) AS e(name)
                WHERE l.environment IS NULL AND NOT EXISTS (SELECT 1 FROM t WHERE t.hash = l.hash AND t.environment = e.name)
                ON CONFLICT (hash, environment) WHERE lifted_at IS NULL DO NOTHING)
            SELECT DISTINCT t.hash, t.environment FROM t
            WHERE EXISTS (SELECT 1 FROM lifted l WHERE l.hash = t.hash AND (l.environment IS NULL OR l.environment = t.environment))
            """).ToListAsync(ct);
    }

    /// <summary>
    /// Bumps the set's version and tells every instance (delivered on commit). Callers hold the ledger
    /// lock, so versions commit in order.
    /// </summary>
    static async Task<long> NextVersionAsync(PrivacyDbContext db, CancellationToken ct) =>
        (await db.Database.SqlQuery<long>($"""
            WITH v AS (UPDATE privacy.suppression_state SET version = version + 1 WHERE id = 1 RETURNING version)
            SELECT v.version AS "Value" FROM v, (SELECT pg_notify({Channel}, v.version::text) FROM v) notified
            """).ToListAsync(ct)).Single();
}
