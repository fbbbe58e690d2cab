using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Webhooks;

public static class ListDeliveries
{
    const int DefaultLimit = 50;
    const int MaxLimit = 500;
    static readonly HashSet<string> Known = ["state", "limit", "cursor"];

    /// <summary>A webhook's deliveries, newest first, each with its attempts; a deleted webhook's stay readable.</summary>
    public static async Task<Results<Ok<DeliveryPage>, ProblemHttpResult>> Handle(string id, HttpRequest http, PrivacyDbContext db, CancellationToken ct)
    {
        var errors = QueryRules.Check(http.Query, Known);
        var state = QueryRules.Choice<DeliveryState>(http.Query, "state", errors);
        var limit = QueryRules.WholeNumber(http.Query, "limit", 1, MaxLimit, errors) ?? DefaultLimit;
        long? before = null;
        if (QueryRules.Text(http.Query, "cursor") is { } cursor)
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) before = number;
            else errors["cursor"] = ["Use the next_cursor of a previous page."];
        }
        if (!Guid.TryParse(id, out var webhookId) || !await db.Webhooks.AnyAsync(w => w.Id == webhookId, ct))
            return DeleteWebhook.NotFound();
        if (errors.Count > 0)
            return Problems.Fields(errors);

        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == webhookId);
        if (state is { } s) query = query.Where(d => d.State == s);
        if (before is { } b) query = query.Where(d => d.Id < b);
        var page = await query.OrderByDescending(d => d.Id).Take(limit + 1).ToListAsync(ct);
        var shown = page.Take(limit).ToList();
        var ids = shown.Select(d => d.Id).ToList();
        var attempts = (await db.DeliveryAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync(ct)).ToLookup(a => a.DeliveryId);
        var next = page.Count > limit ? shown[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new DeliveryPage(shown.Select(d => d.ToItem(attempts[d.Id])).ToList(), next));
    }
}
