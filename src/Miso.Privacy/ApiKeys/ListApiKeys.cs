using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.ApiKeys;

public static class ListApiKeys
{
    static readonly HashSet<string> NoParameters = [];

    /// <summary>Configured keys first, then every created key, revoked and expired ones included, oldest first.</summary>
    public static async Task<Results<Ok<ApiKeyList>, ProblemHttpResult>> Handle(
        HttpRequest http, PrivacyDbContext db, KeyDirectory directory, CancellationToken ct)
    {
        if (QueryRules.Unknown(http.Query, NoParameters) is { } problem)
            return problem;
        var stored = await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ThenBy(k => k.Id).ToListAsync(ct);
        return TypedResults.Ok(new ApiKeyList([.. directory.Configured.Select(k => k.ToItem()), .. stored.Select(k => k.ToItem())]));
    }
}
