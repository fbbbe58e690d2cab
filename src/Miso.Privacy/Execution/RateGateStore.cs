using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Miso.Privacy.Execution;

/// <summary>
/// Grants Miso calls per environment so that, summed over every instance, no one-second window holds
/// more than Execution:MaxCallsPerSecond. Grants are logged in PostgreSQL and counted over a 1.2 s
/// sliding window; a caller that reaches its send more than 100 ms after asking asks again, so the
/// sends themselves never crowd into one second. Callers only wait while the window is full, so a
/// slow or starved caller cannot push everyone else back. Time is the database's.
/// </summary>
public sealed class RateGateStore(NpgsqlDataSource dataSource, IOptions<ExecutionOptions> options)
{
    const double WindowSeconds = 1.2;
    static readonly TimeSpan MaxGrantToSend = TimeSpan.FromMilliseconds(100);

    public async Task WaitForSlotAsync(string environment, CancellationToken ct)
    {
        while (true)
        {
            var (wait, granting) = await TryGrantAsync(environment, ct);
            if (wait is null && Stopwatch.GetElapsedTime(granting) <= MaxGrantToSend)
                return;
            await Task.Delay(wait ?? TimeSpan.Zero, ct);
        }
    }

    /// <summary>
    /// Null when granted; otherwise how long until a grant may be possible. Granting: when this caller held the gate's
    /// lock and was about to write its grant, so grant-to-send is counted from no later than the grant's time. The wait
    /// for the lock comes before it: on a loaded machine that wait used to throw away grants that were then never used.
    /// </summary>
    async Task<(TimeSpan? Wait, long Granting)> TryGrantAsync(string environment, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("""
            INSERT INTO privacy.miso_rate_gates (environment, next_slot_at) VALUES (@environment, '2000-01-01T00:00:00Z')
            ON CONFLICT (environment) DO NOTHING;
            SELECT greatest(0, extract(epoch FROM next_slot_at - clock_timestamp()))::float8
            FROM privacy.miso_rate_gates WHERE environment = @environment FOR UPDATE;
            DELETE FROM privacy.miso_rate_grants WHERE environment = @environment AND granted_at < clock_timestamp() - interval '10 seconds';
            SELECT count(*)::int, coalesce(extract(epoch FROM min(granted_at) + make_interval(secs => @window) - clock_timestamp()), 0)::float8
            FROM privacy.miso_rate_grants WHERE environment = @environment AND granted_at > clock_timestamp() - make_interval(secs => @window);
            """, connection, transaction);
        command.Parameters.AddWithValue("environment", environment);
        command.Parameters.AddWithValue("window", WindowSeconds);
        double blocked, untilOldestLeaves;
        int inWindow;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            blocked = reader.GetDouble(0);
            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            inWindow = reader.GetInt32(0);
            untilOldestLeaves = reader.GetDouble(1);
        }
        var granting = Stopwatch.GetTimestamp();
        TimeSpan? wait = blocked > 0 ? TimeSpan.FromSeconds(blocked)
            : inWindow >= options.Value.MaxCallsPerSecond ? TimeSpan.FromSeconds(Math.Max(0.005, untilOldestLeaves))
            : null;
        if (wait is null)
        {
            await using var grant = new NpgsqlCommand(
                "INSERT INTO privacy.miso_rate_grants (environment, granted_at) VALUES ($1, clock_timestamp())", connection, transaction);
            grant.Parameters.Add(new NpgsqlParameter { Value = environment });
            await grant.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return (wait, granting);
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
