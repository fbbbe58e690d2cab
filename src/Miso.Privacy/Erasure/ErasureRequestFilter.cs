using System.Globalization;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Erasure;

/// <summary>The list endpoint's query, read whole before anything is asked of the database.</summary>
public sealed record ErasureRequestFilter(
    RequestStatus? Status, Regulation? Regulation, string? Ticket, DateTimeOffset? ReceivedFrom, DateTimeOffset? ReceivedTo,
    bool Overdue, int Limit, long? Before)
{
    public RequestType? Type { get; init; }

    /// <summary>Due (the extended date when there is one) before this time, whatever the status.</summary>
    public DateTimeOffset? DueBefore { get; init; }

    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    static readonly HashSet<string> Known = ["status", "regulation", "ticket", "received_from", "received_to", "overdue", "limit", "cursor", "type", "due_before"];

    public static (ErasureRequestFilter? Filter, Dictionary<string, string[]> Errors) Parse(IQueryCollection query)
    {
        var errors = QueryRules.Check(query, Known);
        var status = QueryRules.Choice<RequestStatus>(query, "status", errors);
        var regulation = QueryRules.Choice<Regulation>(query, "regulation", errors);
        var from = QueryRules.Time(query, "received_from", errors);
        var to = QueryRules.Time(query, "received_to", errors);
        var overdue = QueryRules.Flag(query, "overdue", errors) ?? false;
        var type = QueryRules.Choice<RequestType>(query, "type", errors);
        var dueBefore = QueryRules.Time(query, "due_before", errors);
        var limit = QueryRules.WholeNumber(query, "limit", 1, MaxLimit, errors) ?? DefaultLimit;
        long? before = null;
        if (QueryRules.Text(query, "cursor") is { } cursor)
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) before = number;
            else errors["cursor"] = ["Use the next_cursor of a previous page."];
        }
        return errors.Count > 0
            ? (null, errors)
            : (new ErasureRequestFilter(status, regulation, QueryRules.Text(query, "ticket"), from, to, overdue, limit, before)
                { Type = type, DueBefore = dueBefore }, errors);
    }

    public IQueryable<ErasureRequest> Apply(IQueryable<ErasureRequest> requests, DateTimeOffset now)
    {
        if (Status is { } status) requests = requests.Where(r => r.Status == status);
        if (Regulation is { } regulation) requests = requests.Where(r => r.Regulation == regulation);
        if (Ticket is { } ticket) requests = requests.Where(r => r.Ticket == ticket);
        if (ReceivedFrom is { } from) requests = requests.Where(r => r.ReceivedAt >= from);
        if (ReceivedTo is { } to) requests = requests.Where(r => r.ReceivedAt < to);
        if (Overdue) requests = requests.Where(r => OpenStatuses.All.Contains(r.Status) && r.DueAt < now);
        if (Before is { } before) requests = requests.Where(r => r.Number < before);
        if (Type is { } type) requests = requests.Where(r => r.Type == type);
        if (DueBefore is { } dueBefore) requests = requests.Where(r => r.DueAt < dueBefore);
        return requests;
    }
}
