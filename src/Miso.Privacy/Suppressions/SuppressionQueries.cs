using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Suppressions;

/// <summary>Where a subject is suppressed, and since when.</summary>
public sealed record SubjectSuppression(IReadOnlyList<string> Environments, DateTimeOffset? Since);

public static class SuppressionQueries
{
    /// <summary>
    /// The environments a subject's active rows cover (an every-environment row covers all configured ones), sorted,
    /// and the earliest of those rows.
    /// </summary>
    public static async Task<SubjectSuppression> OfAsync(PrivacyDbContext db, byte[] hash, EnvironmentNames names, CancellationToken ct)
    {
        var rows = await db.Suppressions.AsNoTracking().Where(s => s.Hash == hash && s.LiftedAt == null)
            .Select(s => new { s.Environment, s.CreatedAt }).ToListAsync(ct);
        var environments = rows.SelectMany(r => r.Environment is { } e ? [e] : names.All).Distinct().Order(StringComparer.Ordinal).ToList();
        return new SubjectSuppression(environments, rows.Count == 0 ? null : rows.Min(r => r.CreatedAt));
    }
}
