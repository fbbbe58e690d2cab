using System.Globalization;
using Miso.Privacy.Dashboard;

namespace Miso.Privacy.Reports;

/// <summary>The period and format every export takes: from (inclusive, optional), to (exclusive, defaults to now).</summary>
public sealed record ReportQuery(DateTimeOffset? From, DateTimeOffset To, string Format)
{
    public static (ReportQuery? Query, Dictionary<string, string[]> Errors) Parse(
        IQueryCollection query, DateTimeOffset now, string[] formats, params string[] extra)
    {
        var errors = QueryRules.Check(query, ["from", "to", "format", .. extra]);
        var from = Time(query, "from", errors);
        var to = Time(query, "to", errors) ?? now;
        if (from is { } f && f >= to && !errors.ContainsKey("to"))
            errors["to"] = ["Must be later than from."];
        var format = query.TryGetValue("format", out var value) ? value.ToString() : formats[0];
        if (!formats.Contains(format))
            errors["format"] = [$"Must be one of {string.Join(", ", formats)}."];
        return (errors.Count == 0 ? new ReportQuery(from, to, format) : null, errors);
    }

    static DateTimeOffset? Time(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(name, out var value))
            return null;
        if (DateTimeOffset.TryParse(value.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return time.ToUniversalTime();
        errors[name] = ["Must be an ISO-8601 date or date-time, like 2026-11-28 or 2026-11-28T00:00:00Z."];
        return null;
    }
}
