using Npgsql;

namespace Miso.Privacy.Dashboard;

/// <summary>
/// Folds the appended counter deltas into the totals in one statement. One instance at a time (a try-lock: a second
/// caller skips instead of waiting); deltas committed after its snapshot stay for the next run. Readers add totals and
/// pending deltas in one snapshot, and the fold moves rows in one transaction, so a reader never counts a delta twice
/// or not at all.
/// </summary>
public static class SummaryCompaction
{
    /// <summary>Two-key advisory lock space, apart from the ledger's one-key lock.</summary>
    public const int LockClass = 0x5355_4d43;

    static readonly string Sql = $"""
        WITH moved AS (
               DELETE FROM privacy.summary_counter_deltas WHERE (SELECT pg_try_advisory_xact_lock({LockClass}, 0))
               RETURNING metric, period, dim1, dim2, dim3, count, late, seconds, latest)
        INSERT INTO privacy.summary_counters AS t (metric, period, dim1, dim2, dim3, count, late, seconds, latest)
        SELECT metric, period, dim1, dim2, dim3, sum(count), sum(late), sum(seconds), max(latest)
          FROM moved GROUP BY metric, period, dim1, dim2, dim3
        ON CONFLICT (metric, period, dim1, dim2, dim3) DO UPDATE
           SET count = t.count + excluded.count, late = t.late + excluded.late, seconds = t.seconds + excluded.seconds,
               latest = greatest(t.latest, excluded.latest)
        """;

    public static async Task<int> RunAsync(NpgsqlDataSource pool, CancellationToken ct)
    {
        await using var command = pool.CreateCommand(Sql);
        return await command.ExecuteNonQueryAsync(ct);
    }
}
