using Npgsql;

namespace Miso.Privacy.Suppressions;

/// <summary>
/// The reads the suppression set is kept current with. Each is one statement, so the version it returns and
/// the keys it returns come from one snapshot. A row's key in the set is its lookup key.
/// </summary>
public sealed class SuppressionStore(NpgsqlDataSource db)
{
    const string StateRow = "SELECT version, NULL::bigint, NULL::boolean FROM privacy.suppression_state WHERE id = 1";

    public async Task<long> ReadVersionAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT version FROM privacy.suppression_state WHERE id = 1");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Every active suppression's key, and the version they are complete up to.</summary>
    public async Task<(long Version, List<ulong> Keys)> LoadAllAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            {StateRow}
            UNION ALL
            SELECT NULL, lookup_key, NULL FROM privacy.suppressions WHERE lifted_at IS NULL
            """);
        var keys = new List<ulong>();
        var version = await ReadAsync(command, (key, _) => keys.Add(key), ct);
        return (version, keys);
    }

    /// <summary>
    /// The final state of every key touched by a change after <paramref name="since"/>. A key stays active while
    /// any active suppression still has it, so lifting one subject never unsuppresses another that shares its key.
    /// </summary>
    public async Task<(long Version, List<(ulong Key, bool Active)> Changes)> ChangesSinceAsync(long since, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            {StateRow}
            UNION ALL
            SELECT NULL, c.lookup_key, EXISTS (
                SELECT 1 FROM privacy.suppressions a WHERE a.lifted_at IS NULL AND a.lookup_key = c.lookup_key)
            FROM (SELECT DISTINCT lookup_key FROM privacy.suppressions WHERE version > $1 OR lifted_version > $1) c
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = since });
        var changes = new List<(ulong, bool)>();
        var version = await ReadAsync(command, (key, active) => changes.Add((key, active)), ct);
        return (version, changes);
    }

    static async Task<long> ReadAsync(NpgsqlCommand command, Action<ulong, bool> onKey, CancellationToken ct)
    {
        var version = 0L;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (!reader.IsDBNull(0))
                version = reader.GetInt64(0);
            else
                onKey(unchecked((ulong)reader.GetInt64(1)), reader.IsDBNull(2) || reader.GetBoolean(2));
        }
        return version;
    }
}
