using Microsoft.Extensions.Options;
using Npgsql;

namespace Miso.Privacy.Execution;

/// <summary>
/// Spaces Miso calls per environment by 1/MaxCallsPerSecond (plus 5% for network jitter) using one row
/// per environment in PostgreSQL, so the limit holds across every instance. Time is the database's.
/// </summary>
public sealed class RateGateStore(NpgsqlDataSource dataSource, IOptions<ExecutionOptions> options)
{
    double SpacingSeconds => 1.05 / options.Value.MaxCallsPerSecond;

    public async Task WaitForSlotAsync(string environment, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO privacy.miso_rate_gates AS g (environment, next_slot_at)
            VALUES ($1, clock_timestamp() + make_interval(secs => $2))
            ON CONFLICT (environment) DO UPDATE
                SET next_slot_at = greatest(g.next_slot_at, clock_timestamp()) + make_interval(secs => $2)
            RETURNING extract(epoch FROM (g.next_slot_at - make_interval(secs => $2) - clock_timestamp()))::float8
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = environment });
        command.Parameters.Add(new NpgsqlParameter { Value = SpacingSeconds });
        var wait = (double)(await command.ExecuteScalarAsync(ct))!;
        if (wait > 0)
            await Task.Delay(TimeSpan.FromSeconds(wait), ct);
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
