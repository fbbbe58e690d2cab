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
/// checked less than <see cref="DashboardOptions.SummaryMaxAge"/> ago is answered without asking: while requests
/// arrive, the head moves with each of them, and each poll would otherwise compute.
/// The ETag hashes the figures (not as_of), so instances agree and a recomputation that changes
/// nothing still answers 304.
/// </summary>
public sealed class SummaryCache(TimeProvider clock, [FromKeyedServices(DashboardApi.PoolKey)] NpgsqlDataSource pool,
    IOptions<DashboardOptions> options)
{
    readonly SemaphoreSlim _gate = new(1, 1);
    CachedSummary? _current;

    public async Task<CachedSummary> GetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_current is { } recent && now - recent.CheckedAt < options.Value.SummaryMaxAge)
            return recent;
        var marker = await MarkerAsync(now, ct);
        if (_current is { } hit && hit.Marker == marker)
            return _current = hit with { CheckedAt = now };
        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { } raced && raced.Marker == marker)
                return raced;
            await using var connection = await pool.OpenConnectionAsync(ct);
            var summary = await SummaryQuery.ComputeAsync(connection, now, ct);
            return _current = new CachedSummary(marker, summary, ETagOf(summary), now);
        }
        finally
        {
            _gate.Release();
        }
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
}
