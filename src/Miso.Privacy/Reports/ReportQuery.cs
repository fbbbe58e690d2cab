using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Reports;

/// <summary>The period and format every export takes: from (inclusive, optional), to (exclusive, defaults to now).</summary>
public sealed record ReportQuery(DateTimeOffset? From, DateTimeOffset To, string Format)
{
    public static (ReportQuery? Query, Dictionary<string, string[]> Errors) Parse(
        IQueryCollection query, DateTimeOffset now, string[] formats, params string[] extra)
    {
        var errors = QueryRules.Check(query, ["from", "to", "format", .. extra]);
        var from = QueryRules.Time(query, "from", errors);
        var to = QueryRules.Time(query, "to", errors) ?? now;
        if (from is { } f && f >= to && !errors.ContainsKey("to"))
            errors["to"] = ["Must be later than from."];
        var format = query.TryGetValue("format", out var value) ? value.ToString() : formats[0];
        if (!formats.Contains(format))
            errors["format"] = [$"Must be one of {string.Join(", ", formats)}."];
        return (errors.Count == 0 ? new ReportQuery(from, to, format) : null, errors);
    }
}
