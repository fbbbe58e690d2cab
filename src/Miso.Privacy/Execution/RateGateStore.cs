using Microsoft.Extensions.Options;
using Npgsql;

namespace Miso.Privacy.Execution;

/// <summary>
/// Grants Miso calls per environment so that, summed over every instance, no one-second window of arrivals at Miso holds
/// more than Execution:MaxCallsPerSecond (under one call a second: one call per 1/rate seconds). A call arrives somewhere
/// between its grant and its settling (the moment its answer, or its failure, came back), so a grant counts against the
/// window from its grant until a window's length after it settled; one never settled (a crash) counts until a window's
/// length after the latest it could have arrived. That holds whatever happens between the grant and Miso: a new
/// connection's handshake, a cold first request, a starved thread pool. Grants are logged in PostgreSQL, and time is the
/// database's.
/// </summary>
public sealed class RateGateStore(NpgsqlDataSource dataSource, IOptions<ExecutionOptions> options)
{
    /// <summary>
    /// The latest a granted call can reach Miso: an attempt's timeout starts before its wait at the gate, and a cancelled
    /// attempt sends nothing more. One second more for the cancellation to take effect.
    /// </summary>
    public static readonly TimeSpan MaxCallTime = Miso.MisoSetup.AttemptTimeout + TimeSpan.FromSeconds(1);

    /// <summary>Waits until a call may be sent, and grants it; settle the returned grant once the call has ended.</summary>
    public async Task<long> WaitForSlotAsync(string environment, CancellationToken ct)
    {
        while (true)
        {
            var (grant, wait) = await TryGrantAsync(environment, ct);
            if (grant is { } id)
                return id;
            await Task.Delay(wait, ct);
        }
    }

    async Task<(long? Grant, TimeSpan Wait)> TryGrantAsync(string environment, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // In the window: settled within the last second, or still unsettled and young enough to be on its way.
        // The granted_at bound only lets the index narrow the scan; nothing it excludes can be in the window.
        await using var command = new NpgsqlCommand("""
            INSERT INTO privacy.miso_rate_gates (environment, next_slot_at) VALUES (@environment, '2000-01-01T00:00:00Z')
            ON CONFLICT (environment) DO NOTHING;
            SELECT greatest(0, extract(epoch FROM next_slot_at - clock_timestamp()))::float8
            FROM privacy.miso_rate_gates WHERE environment = @environment FOR UPDATE;
            DELETE FROM privacy.miso_rate_grants WHERE environment = @environment AND granted_at < clock_timestamp() - interval '1 minute';
            SELECT count(*)::int, extract(epoch FROM min(settled_at) + @window - clock_timestamp())::float8
            FROM privacy.miso_rate_grants
            WHERE environment = @environment
              AND granted_at > clock_timestamp() - @max_call - @window
              AND coalesce(settled_at, granted_at + @max_call) > clock_timestamp() - @window;
            """, connection, transaction);
        var (window, limit) = Window(options.Value.MaxCallsPerSecond);
        command.Parameters.AddWithValue("environment", environment);
        command.Parameters.AddWithValue("max_call", MaxCallTime);
        command.Parameters.AddWithValue("window", window);
        double blocked;
        int inWindow;
        double? untilFirstLeaves;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            blocked = reader.GetDouble(0);
            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            inWindow = reader.GetInt32(0);
            untilFirstLeaves = reader.IsDBNull(1) ? null : reader.GetDouble(1);
        }
        if (blocked > 0 || inWindow >= limit)
        {
            await transaction.CommitAsync(ct);
            // Unsettled calls leave the window a window's length after they settle at the earliest: look again then.
            var wait = blocked > 0 ? blocked : Math.Clamp(untilFirstLeaves ?? window.TotalSeconds, 0.005, window.TotalSeconds);
            return (null, TimeSpan.FromSeconds(wait));
        }
        await using var grant = new NpgsqlCommand(
            "INSERT INTO privacy.miso_rate_grants (environment, granted_at) VALUES ($1, clock_timestamp()) RETURNING id", connection, transaction);
        grant.Parameters.Add(new NpgsqlParameter { Value = environment });
        var id = (long)(await grant.ExecuteScalarAsync(ct))!;
        await transaction.CommitAsync(ct);
        return (id, TimeSpan.Zero);
    }

    /// <summary>
    /// The window arrivals are counted over, and how many it may hold: a second and the whole-number part of the rate,
    /// or, under one call a second, one call per 1/rate seconds.
    /// </summary>
    internal static (TimeSpan Window, int Limit) Window(double callsPerSecond) => callsPerSecond >= 1
        ? (TimeSpan.FromSeconds(1), (int)Math.Floor(callsPerSecond))
        : (TimeSpan.FromSeconds(1 / callsPerSecond), 1);

    /// <summary>The call has ended (answered, failed or cancelled): it reached Miso, if at all, before now.</summary>
    public async Task SettleAsync(long grant, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE privacy.miso_rate_grants SET settled_at = clock_timestamp() WHERE id = $1 AND settled_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = grant });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Miso said "not before": every instance waits, not only the one that was told.</summary>
    public async Task PushBackAsync(string environment, TimeSpan retryAfter, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE privacy.miso_rate_gates
            SET next_slot_at = greatest(next_slot_at, clock_timestamp() + make_interval(secs => $2))
            WHERE environment = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = environment });
        command.Parameters.Add(new NpgsqlParameter { Value = retryAfter.TotalSeconds });
        await command.ExecuteNonQueryAsync(ct);
    }
}
