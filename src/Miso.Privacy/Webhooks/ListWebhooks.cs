using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Webhooks;

public static class ListWebhooks
{
    /// <summary>Live webhooks, oldest first; never a secret.</summary>
    public static async Task<Results<Ok<WebhookList>, ProblemHttpResult>> Handle(HttpRequest http, PrivacyDbContext db, CancellationToken ct)
    {
        if (QueryRules.Unknown(http.Query, []) is { } problem)
            return problem;
        var webhooks = await db.Webhooks.AsNoTracking().Where(w => w.DeletedAt == null).OrderBy(w => w.CreatedAt).ThenBy(w => w.Id).ToListAsync(ct);
        return TypedResults.Ok(new WebhookList(webhooks.Select(w => w.ToItem()).ToList()));
    }
}
