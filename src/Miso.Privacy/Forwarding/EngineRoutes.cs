namespace Miso.Privacy.Forwarding;

/// <summary>
/// The routes whose requests may name a person for Miso to personalise an answer (the <c>*Request</c> schemas of
/// Miso's API with <c>user_id</c>, <c>anonymous_id</c> and <c>user_hash</c>), grouped as the metrics count them.
/// Matched without regard to case, which Miso's routes have, so that a near miss is still read, never waved through.
/// </summary>
static class EngineRoutes
{
    public const string Bulk = "bulk";

    static readonly (PathString Prefix, string Family)[] Families =
    [
        ("/v1/search", "search"),
        ("/v1/recommendation", "recommendation"),
        ("/v1/ask", "ask"),
        ("/v1/qa", "qa"),
        ("/v1/experiments", "experiments"),
        ("/v1/bulk", Bulk),
    ];

    /// <summary>The family of an engine route, or null for a route whose body names no one (products, unknown paths).</summary>
    public static string? FamilyOf(PathString path)
    {
        foreach (var (prefix, family) in Families)
            if (path.StartsWithSegments(prefix))
                return family;
        return null;
    }

    /// <summary>Families whose request schemas carry <c>user_hash</c>, which Miso checks on publishable keys (bulk: per inner request).</summary>
    public static bool ChecksUserHash(string family) => family is "search" or "recommendation" or "ask" or Bulk;

    /// <summary>Miso words an unknown key its own way on experiment events.</summary>
    public static bool IsExperimentEvents(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/v1/experiments", out var rest)
        && rest.Value is { } tail && tail.Count(c => c == '/') == 2 && tail.EndsWith("/events", StringComparison.OrdinalIgnoreCase);
}
