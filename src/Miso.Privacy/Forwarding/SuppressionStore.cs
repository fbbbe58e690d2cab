using Npgsql;

namespace Miso.Privacy.Forwarding;

/// <summary>
/// The reads the suppression set is kept current with. Each is one statement, so the version it returns and
/// the rows it returns come from one snapshot.
/// </summary>
public sealed class SuppressionStore(NpgsqlDataSource db)
{
    const int KeyBytes = 8;

    public async Task<long> ReadVersionAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT version FROM privacy.suppression_state WHERE id = 1");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Every active suppression's key, and the version they are complete up to.</summary>
    public async Task<(long Version, List<ulong> Keys)> LoadAllAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT version, NULL::bytea FROM privacy.suppression_state WHERE id = 1
            UNION ALL
            SELECT NULL, substring(hash FROM 1 FOR 8) FROM privacy.suppressions WHERE lifted_at IS NULL
            """);
        var keys = new List<ulong>();
        var version = 0L;
        var buffer = new byte[KeyBytes];
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (!reader.IsDBNull(0)) version = reader.GetInt64(0);
            else keys.Add(KeyOf(reader, buffer));
        }
        return (version, keys);
    }

    /// <summary>
    /// The final state of every key touched by a change after <paramref name="since"/>. A key stays active when
    /// any active suppression still shares its 8-byte prefix (the range below), so lifting one hash never
    /// unsuppresses another that happens to share the prefix.
    /// </summary>
    public async Task<(long Version, List<(ulong Key, bool Active)> Changes)> ChangesSinceAsync(long since, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT version, NULL::bytea, NULL::boolean FROM privacy.suppression_state WHERE id = 1
            UNION ALL
            SELECT NULL, c.prefix, EXISTS (
                SELECT 1 FROM privacy.suppressions a
                WHERE a.lifted_at IS NULL AND a.hash >= c.prefix AND a.hash <= c.prefix || '\xffffffffffffffffffffffffffffffffffffffffffffffff'::bytea)
            FROM (SELECT DISTINCT substring(hash FROM 1 FOR 8) AS prefix FROM privacy.suppressions
                  WHERE version > $1 OR lifted_version > $1) c
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = since });
        var changes = new List<(ulong, bool)>();
        var version = 0L;
        var buffer = new byte[KeyBytes];
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (!reader.IsDBNull(0)) version = reader.GetInt64(0);
            else changes.Add((KeyOf(reader, buffer), reader.GetBoolean(2)));
        }
        return (version, changes);
    }

    static ulong KeyOf(NpgsqlDataReader reader, byte[] buffer)
    {
        var read = reader.GetBytes(1, 0, buffer, 0, KeyBytes);
        if (read != KeyBytes) throw new InvalidOperationException($"A suppression hash is {read} bytes long, not 32.");
        return SuppressionSet.KeyOf(buffer);
    }
}
