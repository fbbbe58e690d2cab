using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Erasure;

public sealed record ErasureRequestPage(IReadOnlyList<ErasureRequestSummary> Items, string? NextCursor);

public static class ListErasureRequests
{
    /// <summary>Newest first, keyset-paged on the request number so pages stay stable while requests arrive.</summary>
    public static async Task<Results<Ok<ErasureRequestPage>, ProblemHttpResult>> Handle(
        HttpRequest http, PrivacyDbContext db, TimeProvider clock, EnvironmentNames names, CancellationToken ct)
    {
        var (filter, errors) = ErasureRequestFilter.Parse(http.Query);
        if (filter is null)
            return Problems.Fields(errors);
        var now = clock.GetUtcNow();
        var limit = filter.Limit;
        var page = await filter.Apply(db.ErasureRequests.AsNoTracking(), now)
            .OrderByDescending(r => r.Number).Take(limit + 1).ToListAsync(ct);
        var next = page.Count > limit ? page[limit - 1].Number.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new ErasureRequestPage(page.Take(limit).Select(r => r.ToSummary(now, names)).ToList(), next));
    }
}
