using Npgsql;

namespace Miso.Privacy.Forwarding;

/// <summary>
/// The reads the suppression set is kept current with. Each is one statement, so the version it returns and
/// the rows it returns come from one snapshot. A row's key is its lookup key; rows written before lookup keys
/// existed are keyed by their HMAC's first 8 bytes instead, and <see cref="Snapshot.HasLegacyRows"/> tells the
/// filter to check ids that way too.
/// </summary>
public sealed class SuppressionStore(NpgsqlDataSource db)
{
    const int PrefixBytes = 8;

    /// <summary>What a load or catch-up read: the version it is complete up to, and whether HMAC-keyed rows remain.</summary>
    public readonly record struct Snapshot(long Version, bool HasLegacyRows);

    const string StateRow = """
        SELECT version, NULL::bigint, NULL::bytea, EXISTS (
            SELECT 1 FROM privacy.suppressions WHERE lookup_key IS NULL AND lifted_at IS NULL)
        FROM privacy.suppression_state WHERE id = 1
        """;

    public async Task<long> ReadVersionAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT version FROM privacy.suppression_state WHERE id = 1");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Every active suppression's key.</summary>
    public async Task<(Snapshot Snapshot, List<ulong> Keys)> LoadAllAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            {StateRow}
            UNION ALL
            SELECT NULL, lookup_key, CASE WHEN lookup_key IS NULL THEN substring(hash FROM 1 FOR 8) END, NULL
            FROM privacy.suppressions WHERE lifted_at IS NULL
            """);
        var keys = new List<ulong>();
        var snapshot = await ReadAsync(command, (key, _) => keys.Add(key), ct);
        return (snapshot, keys);
    }

    /// <summary>
    /// The final state of every key touched by a change after <paramref name="since"/>. A key stays active while
    /// any active suppression still has it, so lifting one subject never unsuppresses another that shares its key.
    /// </summary>
    public async Task<(Snapshot Snapshot, List<(ulong Key, bool Active)> Changes)> ChangesSinceAsync(long since, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            {StateRow}
            UNION ALL
            SELECT NULL, c.lookup_key, NULL, EXISTS (
                SELECT 1 FROM privacy.suppressions a WHERE a.lifted_at IS NULL AND a.lookup_key = c.lookup_key)
            FROM (SELECT DISTINCT lookup_key FROM privacy.suppressions
                  WHERE (version > $1 OR lifted_version > $1) AND lookup_key IS NOT NULL) c
            UNION ALL
            SELECT NULL, NULL, c.prefix, EXISTS (
                SELECT 1 FROM privacy.suppressions a
                WHERE a.lifted_at IS NULL AND a.lookup_key IS NULL
                  AND a.hash >= c.prefix AND a.hash <= c.prefix || '\xffffffffffffffffffffffffffffffffffffffffffffffff'::bytea)
            FROM (SELECT DISTINCT substring(hash FROM 1 FOR 8) AS prefix FROM privacy.suppressions
                  WHERE (version > $1 OR lifted_version > $1) AND lookup_key IS NULL) c
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = since });
        var changes = new List<(ulong, bool)>();
        var snapshot = await ReadAsync(command, (key, active) => changes.Add((key, active)), ct);
        return (snapshot, changes);
    }

    static async Task<Snapshot> ReadAsync(NpgsqlCommand command, Action<ulong, bool> onKey, CancellationToken ct)
    {
        var snapshot = new Snapshot();
        var prefix = new byte[PrefixBytes];
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (!reader.IsDBNull(0))
            {
                snapshot = new Snapshot(reader.GetInt64(0), reader.GetBoolean(3));
                continue;
            }
            var key = !reader.IsDBNull(1) ? unchecked((ulong)reader.GetInt64(1)) : LegacyKey(reader, prefix);
            onKey(key, reader.IsDBNull(3) || reader.GetBoolean(3));
        }
        return snapshot;
    }

    static ulong LegacyKey(NpgsqlDataReader reader, byte[] buffer)
    {
        var read = reader.GetBytes(2, 0, buffer, 0, PrefixBytes);
        if (read != PrefixBytes) throw new InvalidOperationException($"A suppression hash is {read} bytes long, not 32.");
        return SuppressionSet.KeyOf(buffer);
    }
}
