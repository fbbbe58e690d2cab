using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Miso.Privacy.Infrastructure.Json;
using Npgsql;

namespace Miso.Privacy.Dashboard;

/// <param name="CheckedAt">When the marker was last found unchanged (or the summary computed).</param>
public sealed record CachedSummary(string Marker, DashboardSummary Summary, string ETag, DateTimeOffset CheckedAt);

/// <summary>
/// Every state change appends an audit event, so the chain head plus the current minute (overdue and
/// due-soon move with time) says whether the last summary still holds. Checking it is one index probe;
/// recomputing happens once per change per instance, and concurrent pollers share that computation. A summary
/// checked less than <see cref="DashboardOptions.SummaryMaxAge"/> ago is answered without asking, and one checked less
/// than twice that ago is answered while the next is computed behind it: while requests arrive the head moves with
/// each of them, and each poll would otherwise compute, and wait for it.
/// The ETag hashes the figures (not as_of), so instances agree and a recomputation that changes
/// nothing still answers 304.
/// </summary>
public sealed partial class SummaryCache(TimeProvider clock, [FromKeyedServices(DashboardApi.PoolKey)] NpgsqlDataSource pool,
    IOptions<DashboardOptions> options, ILogger<SummaryCache> logger)
{
    readonly SemaphoreSlim _gate = new(1, 1);
    CachedSummary? _current;

    public async Task<CachedSummary> GetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var maxAge = options.Value.SummaryMaxAge;
        if (_current is { } recent && now - recent.CheckedAt < maxAge)
            return recent;
        var marker = await MarkerAsync(now, ct);
        if (_current is { } hit && hit.Marker == marker)
        {
            // Unless a computation replaced it meanwhile: that summary is the newer one.
            var checkedNow = hit with { CheckedAt = now };
            return Interlocked.CompareExchange(ref _current, checkedNow, hit) == hit ? checkedNow : _current!;
        }
        // Changed, but checked less than twice the max age ago: answered while one computation brings the next, so a
        // poll never waits for a computation while figures change at every moment.
        if (_current is { } stale && now - stale.CheckedAt < maxAge * 2)
        {
            RefreshBehind(marker, now);
            return stale;
        }
        await _gate.WaitAsync(ct);
        try
        {
            return await ComputeAsync(marker, now, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    void RefreshBehind(string marker, DateTimeOffset now)
    {
        // One computation at a time: if one runs, it brings the next summary.
        if (!_gate.Wait(0))
            return;
        _ = Task.Run(async () =>
        {
            try
            {
                await ComputeAsync(marker, now, CancellationToken.None);
            }
            catch (Exception e)
            {
                // The next poll past twice the max age computes again, and fails to its caller if this was the database.
                LogRefreshFailed(e.GetType().Name);
            }
            finally
            {
                _gate.Release();
            }
        });
    }

    /// <summary>Call holding the gate.</summary>
    async Task<CachedSummary> ComputeAsync(string marker, DateTimeOffset now, CancellationToken ct)
    {
        if (_current is { } raced && raced.Marker == marker)
            return raced;
        await using var connection = await pool.OpenConnectionAsync(ct);
        var summary = await SummaryQuery.ComputeAsync(connection, now, ct);
        return _current = new CachedSummary(marker, summary, ETagOf(summary), now);
    }

    async Task<string> MarkerAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var command = pool.CreateCommand("SELECT coalesce(max(seq), 0) FROM privacy.audit_events");
        var head = (long)(await command.ExecuteScalarAsync(ct))!;
        return $"{head}@{now.ToUnixTimeSeconds() / 60}";
    }

    static string ETagOf(DashboardSummary summary)
    {
        var figures = JsonSerializer.SerializeToUtf8Bytes(summary with { AsOf = default }, ApiJson.Options);
        return $"W/\"{Convert.ToHexStringLower(SHA256.HashData(figures))[..32]}\"";
    }

    [LoggerMessage(LogLevel.Warning, "Computing the dashboard summary behind the polls failed ({Error}); the next poll computes it")]
    partial void LogRefreshFailed(string error);
}
