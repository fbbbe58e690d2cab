using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Dashboard;

public static class GetSummary
{
    public static async Task<Results<Ok<DashboardSummary>, StatusCodeHttpResult, ProblemHttpResult>> Handle(
        HttpRequest http, SummaryCache cache, CancellationToken ct)
    {
        if (QueryRules.Unknown(http.Query, []) is { } problem)
            return problem;
        var cached = await cache.GetAsync(ct);
        var headers = http.HttpContext.Response.Headers;
        headers.ETag = cached.ETag;
        headers.CacheControl = "private, no-cache";
        if (http.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => Same(t.Trim(), cached.ETag))))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(cached.Summary);
    }

    // If-None-Match compares weakly (RFC 9110 §13.1.2).
    static bool Same(string candidate, string etag) =>
        candidate == "*" || EntityTagHeaderValue.TryParse(candidate, out var tag)
            && EntityTagHeaderValue.Parse(etag).Compare(tag, useStrongComparison: false);
}
