using Npgsql;

namespace Miso.Privacy.Suppressions;

/// <summary>The lease rows' statements: taken and renewed by each instance, acknowledged as its set moves, read by writers.</summary>
public sealed class ForwarderLeases(NpgsqlDataSource db)
{
    /// <summary>Takes or extends the lease, counted on the database's clock from now.</summary>
    public async Task ExtendAsync(Guid instance, long appliedVersion, TimeSpan lease, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO privacy.forwarder_leases (instance_id, applied_version, expires_at)
            VALUES ($1, $2, clock_timestamp() + $3)
            ON CONFLICT (instance_id) DO UPDATE SET
                applied_version = GREATEST(forwarder_leases.applied_version, EXCLUDED.applied_version),
                expires_at = EXCLUDED.expires_at
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = instance });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = appliedVersion });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = lease });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task AcknowledgeAsync(Guid instance, long appliedVersion, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            "UPDATE privacy.forwarder_leases SET applied_version = $2 WHERE instance_id = $1 AND applied_version < $2");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = instance });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = appliedVersion });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Acknowledges <paramref name="appliedVersion"/> for <paramref name="instance"/> (none when null) and counts the
    /// unexpired leases of other instances that have not applied <paramref name="target"/>, in one round trip: what a
    /// writer asks once its change is applied here.
    /// </summary>
    public async Task<long> AcknowledgeAndCountBehindAsync(Guid instance, long? appliedVersion, long target, CancellationToken ct)
    {
        // A data-modifying CTE runs whether or not the query reads it; the count's snapshot predates the update, which
        // does not matter: the count leaves this instance out.
        await using var command = db.CreateCommand("""
            WITH acknowledged AS (UPDATE privacy.forwarder_leases SET applied_version = $2
                                  WHERE $2 IS NOT NULL AND instance_id = $1 AND applied_version < $2)
            SELECT count(*) FROM privacy.forwarder_leases
            WHERE expires_at > clock_timestamp() AND applied_version < $3 AND instance_id <> $1
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = instance });
        command.Parameters.Add(new NpgsqlParameter { Value = appliedVersion is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = target });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Removes the leases of instances that died without stopping, once they are long over.</summary>
    public async Task PruneAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            "DELETE FROM privacy.forwarder_leases WHERE expires_at < clock_timestamp() - interval '1 hour'");
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task DropAsync(Guid instance, CancellationToken ct)
    {
        await using var command = db.CreateCommand("DELETE FROM privacy.forwarder_leases WHERE instance_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = instance });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The version to wait for (the one given, or the database's current one), and how many unexpired leases of
    /// instances other than <paramref name="except"/> have not applied it yet.
    /// </summary>
    public async Task<(long Version, long Behind)> BehindAsync(long? version, Guid except, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT v.target, (SELECT count(*) FROM privacy.forwarder_leases
                              WHERE expires_at > clock_timestamp() AND applied_version < v.target AND instance_id <> $2)
            FROM (SELECT COALESCE($1, version) AS target FROM privacy.suppression_state WHERE id = 1) v
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = version is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = except });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
