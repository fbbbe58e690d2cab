using System.Diagnostics;

namespace Miso.Privacy.Infrastructure.Telemetry;

/// <summary>
/// What spans may say about a URL. Subject lookups and lifts carry the raw id in their path, and the
/// Miso-compatible upload accepts <c>?api_key=</c> from browsers: neither may reach a trace backend.
/// </summary>
static class TraceRedaction
{
    static readonly string[] PathsWithIds = ["/api/v1/subjects/", "/api/v1/suppressions/"];

    /// <summary>After the instrumentation has set its tags, before the span is exported.</summary>
    public static void ServerRequest(Activity activity, HttpRequest request)
    {
        // The default only blanks query values (and an environment variable turns that off): drop it whole.
        activity.SetTag("url.query", null);
        var path = request.Path.Value ?? "";
        foreach (var prefix in PathsWithIds)
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                activity.SetTag("url.path", prefix + "{kind}/{value}");
    }

    /// <summary>Set on a request whose URL is someone else's (a webhook's): its path and query may hold the receiver's token.</summary>
    public static readonly HttpRequestOptionsKey<bool> AuthorityOnly = new("miso-privacy.trace-authority-only");

    /// <summary>Miso URLs hold no id or key (the key goes in X-API-KEY, which is not recorded), but keep it so.</summary>
    public static void ClientRequest(Activity activity, HttpRequestMessage request)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
            activity.SetTag("url.full", uri.GetLeftPart(request.Options.TryGetValue(AuthorityOnly, out var only) && only ? UriPartial.Authority : UriPartial.Path));
    }
}
