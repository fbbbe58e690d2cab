using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Reports;

/// <summary>One row per request received in [from, to); csv and json to process, html to print or save as PDF.</summary>
public static class ErasureReport
{
    static readonly string[] Formats = ["csv", "json", "html"];

    public static Results<ReportStream, ProblemHttpResult> Handle(HttpRequest http, TimeProvider clock)
    {
        var (query, errors) = ReportQuery.Parse(http.Query, clock.GetUtcNow(), Formats);
        if (query is null)
            return Problems.Fields(errors);
        return query.Format switch
        {
            "json" => new ReportStream(new("erasures", "json", "application/json; charset=utf-8", "json"), query.From, query.To, ErasureExports.JsonAsync),
            "html" => new ReportStream(new("erasures", "html", "text/html; charset=utf-8", "html", Attachment: false), query.From, query.To, ErasureHtml.WriteAsync),
            _ => new ReportStream(new("erasures", "csv", "text/csv; charset=utf-8", "csv"), query.From, query.To, ErasureExports.CsvAsync),
        };
    }
}
