using Microsoft.AspNetCore.Http.Features;

namespace Miso.Privacy.Forwarding;

static class RawRoute
{
    /// <summary>
    /// A route value as the client percent-encoded it, decoded once. Kestrel routes on a path that keeps <c>%2F</c>
    /// encoded (and has already decoded <c>%25</c>); Miso's ids may hold either, so the segment is decoded again from
    /// the raw request target, as Miso and the emulator read it.
    /// </summary>
    public static string? Decoded(HttpContext context, string name)
    {
        if (context.Request.RouteValues.GetValueOrDefault(name) is not string routed)
            return null;
        if (!routed.Contains('%') || context.Features.Get<IHttpRequestFeature>()?.RawTarget is not { } target)
            return routed;

        var rawSegments = target.Split('?', 2)[0].Split('/');
        var segments = (context.Request.PathBase + context.Request.Path).Value!.Split('/');
        var index = Array.IndexOf(segments, routed);
        return rawSegments.Length == segments.Length && index >= 0 ? Uri.UnescapeDataString(rawSegments[index]) : routed;
    }
}
