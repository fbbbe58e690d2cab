using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Json;

namespace Miso.Privacy.Dashboard;

public sealed record CachedSummary(string Marker, DashboardSummary Summary, string ETag);

/// <summary>
/// Every state change appends an audit event, so the chain head plus the current minute (overdue and
/// due-soon move with time) says whether the last summary still holds. Checking it is one index probe;
/// recomputing happens once per change per instance, and concurrent pollers share that computation.
/// The ETag hashes the figures (not as_of), so instances agree and a recomputation that changes
/// nothing still answers 304.
/// </summary>
public sealed class SummaryCache(TimeProvider clock)
{
    readonly SemaphoreSlim _gate = new(1, 1);
    CachedSummary? _current;

    public async Task<CachedSummary> GetAsync(PrivacyDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var marker = await MarkerAsync(db, now, ct);
        if (_current is { } hit && hit.Marker == marker)
            return hit;
        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { } raced && raced.Marker == marker)
                return raced;
            var summary = await SummaryQuery.ComputeAsync(db, now, ct);
            return _current = new CachedSummary(marker, summary, ETagOf(summary));
        }
        finally
        {
            _gate.Release();
        }
    }

    static async Task<string> MarkerAsync(PrivacyDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var head = await db.AuditEvents.MaxAsync(e => (long?)e.Seq, ct) ?? 0;
        return $"{head}@{now.ToUnixTimeSeconds() / 60}";
    }

    static string ETagOf(DashboardSummary summary)
    {
        var figures = JsonSerializer.SerializeToUtf8Bytes(summary with { AsOf = default }, ApiJson.Options);
        return $"W/\"{Convert.ToHexStringLower(SHA256.HashData(figures))[..32]}\"";
    }
}
