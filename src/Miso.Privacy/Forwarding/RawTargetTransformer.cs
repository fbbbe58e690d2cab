using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Miso.Privacy.Forwarding;

/// <summary>
/// YARP's default request transform, with the path and query as the caller encoded them: the default rebuilds them
/// from the decoded path, which turns an id's <c>%2F</c> into <c>%252F</c>, so Miso would read another id.
/// </summary>
sealed class RawTargetTransformer : HttpTransformer
{
    public static readonly RawTargetTransformer Instance = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
        CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        if (httpContext.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } target && target[0] == '/')
            proxyRequest.RequestUri = new Uri(destinationPrefix.TrimEnd('/') + target, UriKind.Absolute);
    }
}
