using Npgsql;

namespace Miso.Privacy.Suppressions;

/// <summary>One suppressed key in one environment's set (null: the every-environment set), and whether it is active.</summary>
public readonly record struct SuppressedKey(ulong Key, string? Environment, bool Active = true);

/// <summary>A full load, already split by the set each key belongs in, so a million keys are held once, not twice.</summary>
public sealed class LoadedKeys
{
    public List<ulong> Everywhere { get; } = [];
    public Dictionary<string, List<ulong>> ByEnvironment { get; } = new(StringComparer.Ordinal);

    public int Count => Everywhere.Count + ByEnvironment.Values.Sum(k => k.Count);

    public void Add(SuppressedKey key)
    {
        if (key.Environment is not { } environment)
            Everywhere.Add(key.Key);
        else if (ByEnvironment.TryGetValue(environment, out var keys))
            keys.Add(key.Key);
        else
            ByEnvironment[environment] = [key.Key];
    }
}

/// <summary>
/// The reads the suppression sets are kept current with. Each is one statement, so the version it returns and
/// the keys it returns come from one snapshot. A row's key in its environment's set is its lookup key.
/// </summary>
public sealed class SuppressionStore(NpgsqlDataSource db)
{
    const string StateRow = "SELECT version, NULL::bigint, NULL::text, NULL::boolean FROM privacy.suppression_state WHERE id = 1";
    const string CurrentVersion = "SELECT version FROM privacy.suppression_state WHERE id = 1";

    public async Task<long> ReadVersionAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand(CurrentVersion);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Every active suppression's key and environment, and the version they are complete up to.</summary>
    public async Task<(long Version, LoadedKeys Keys)> LoadAllAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            {StateRow}
            UNION ALL
            SELECT NULL, lookup_key, environment, NULL FROM privacy.suppressions WHERE lifted_at IS NULL
            """);
        var keys = new LoadedKeys();
        var version = await ReadAsync(command, keys.Add, ct);
        return (version, keys);
    }

    /// <summary>
    /// The final state of every (key, environment) touched by a change after <paramref name="since"/>. A key stays
    /// active in an environment while any active suppression there still has it, so lifting one subject never
    /// unsuppresses another that shares its key. A key one of the changed rows still holds is active without asking
    /// the other rows: a create's catch-up (thousands of new keys, in the create's answer) probes none of them.
    /// Changes are looked for in a closed version range, up to the set's current version (no row is past it): until
    /// the table is first analyzed, an open range (<c>version &gt; $1</c>) is estimated at a third of it and read by
    /// scanning every suppression (1.2 ms at 5,000 rows, growing with them); a closed one is read by its indexes.
    /// </summary>
    public async Task<(long Version, List<SuppressedKey> Changes)> ChangesSinceAsync(long since, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            {StateRow}
            UNION ALL
            SELECT NULL, c.lookup_key, c.environment, CASE WHEN c.active THEN true ELSE EXISTS (
                SELECT 1 FROM privacy.suppressions a WHERE a.lifted_at IS NULL AND a.lookup_key = c.lookup_key
                                                       AND a.environment IS NOT DISTINCT FROM c.environment) END
            FROM (SELECT lookup_key, environment, bool_or(lifted_at IS NULL) AS active FROM privacy.suppressions
                  WHERE version > $1 AND version <= ({CurrentVersion})
                     OR lifted_version > $1 AND lifted_version <= ({CurrentVersion})
                  GROUP BY lookup_key, environment) c
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = since });
        var changes = new List<SuppressedKey>();
        var version = await ReadAsync(command, changes.Add, ct);
        return (version, changes);
    }

    static async Task<long> ReadAsync(NpgsqlCommand command, Action<SuppressedKey> onKey, CancellationToken ct)
    {
        var version = 0L;
        // Environment names repeat on every row; one string per name, not one per row.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (!reader.IsDBNull(0))
            {
                version = reader.GetInt64(0);
                continue;
            }
            string? environment = null;
            if (!reader.IsDBNull(2))
            {
                var name = reader.GetString(2);
                environment = names.TryGetValue(name, out var known) ? known : names[name] = name;
            }
            onKey(new SuppressedKey(unchecked((ulong)reader.GetInt64(1)), environment, reader.IsDBNull(3) || reader.GetBoolean(3)));
        }
        return version;
    }
}
