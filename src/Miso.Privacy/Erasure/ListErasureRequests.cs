using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Erasure;

public sealed record ErasureRequestPage(IReadOnlyList<ErasureRequestSummary> Items, string? NextCursor);

public static class ListErasureRequests
{
    public const int MaxLimit = 500;
    static readonly HashSet<string> Known =
        ["status", "regulation", "ticket", "received_from", "received_to", "overdue", "limit", "cursor"];

    /// <summary>Newest first, keyset-paged on the request number so pages stay stable while requests arrive.</summary>
    public static async Task<Results<Ok<ErasureRequestPage>, ProblemHttpResult>> Handle(
        HttpRequest http, PrivacyDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var query = http.Query;
        var errors = new Dictionary<string, string[]>();
        foreach (var name in query.Keys.Where(k => !Known.Contains(k)))
            errors[name] = ["Unknown query parameter."];
        foreach (var name in query.Keys.Where(k => query[k].Count > 1))
            errors[name] = ["Give this parameter once."];

        var requests = db.ErasureRequests.AsNoTracking();
        var now = clock.GetUtcNow();
        if (Text(query, "status") is { } status)
        {
            if (ParseStatus(status) is { } s) requests = requests.Where(r => r.Status == s);
            else errors["status"] = ["Must be one of pending, in_progress, completed, failed, cancelled."];
        }
        if (Text(query, "regulation") is { } regulation)
        {
            if (ParseRegulation(regulation) is { } g) requests = requests.Where(r => r.Regulation == g);
            else errors["regulation"] = ["Must be one of gdpr, ccpa, other."];
        }
        if (Text(query, "ticket") is { } ticket)
            requests = requests.Where(r => r.Ticket == ticket);
        if (Time(query, "received_from", errors) is { } from)
            requests = requests.Where(r => r.ReceivedAt >= from);
        if (Time(query, "received_to", errors) is { } to)
            requests = requests.Where(r => r.ReceivedAt < to);
        switch (Text(query, "overdue"))
        {
            case null or "false": break;
            case "true":
                requests = requests.Where(r => (r.Status == RequestStatus.Pending || r.Status == RequestStatus.InProgress
                    || r.Status == RequestStatus.Failed) && r.DueAt < now);
                break;
            default: errors["overdue"] = ["Must be true or false."]; break;
        }
        var limit = 50;
        if (Text(query, "limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            errors["limit"] = [$"Must be a whole number from 1 to {MaxLimit}."];
        if (Text(query, "cursor") is { } cursor)
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var before))
                requests = requests.Where(r => r.Number < before);
            else
                errors["cursor"] = ["Use the next_cursor of a previous page."];
        }
        if (errors.Count > 0)
            return Problems.Fields(errors);

        var page = await requests.OrderByDescending(r => r.Number).Take(limit + 1).ToListAsync(ct);
        var next = page.Count > limit ? page[limit - 1].Number.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new ErasureRequestPage(page.Take(limit).Select(r => r.ToSummary(now)).ToList(), next));
    }

    static string? Text(IQueryCollection query, string name) => query.TryGetValue(name, out var v) ? v.ToString() : null;

    static DateTimeOffset? Time(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (Text(query, name) is not { } text)
            return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            return value.ToUniversalTime();
        errors[name] = ["Must be an ISO-8601 date-time, like 2026-11-28T00:00:00Z."];
        return null;
    }

    static RequestStatus? ParseStatus(string text) => text switch
    {
        "pending" => RequestStatus.Pending,
        "in_progress" => RequestStatus.InProgress,
        "completed" => RequestStatus.Completed,
        "failed" => RequestStatus.Failed,
        "cancelled" => RequestStatus.Cancelled,
        _ => null,
    };

    static Regulation? ParseRegulation(string text) => text switch
    {
        "gdpr" => Regulation.Gdpr,
        "ccpa" => Regulation.Ccpa,
        "other" => Regulation.Other,
        _ => null,
    };
}
