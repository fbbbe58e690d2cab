using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Miso.Privacy.Miso;

/// <summary>Which failed Miso calls the HTTP layer tries again, within the call.</summary>
public static class MisoRetries
{
    /// <summary>Longer Retry-After values are left to the job's own retry schedule rather than waited out in a call.</summary>
    public static readonly TimeSpan LongestInCallWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// An idempotent call (a deletion) is retried on any transient fault. Any other (an upload) only when Miso
    /// cannot have stored it (no connection, 429, 503): after a timeout or a 500 it may have, and a retry would
    /// store the customer's interactions twice.
    /// </summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request)
    {
        if (!HttpClientResiliencePredicates.IsTransient(outcome))
            return false;
        if (outcome.Result is { } response && MisoClient.RetryAfter(response) > LongestInCallWait)
            return false;
        return request is not null && MisoRequestOptions.IsIdempotent(request)
            || outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
            || (int?)outcome.Result?.StatusCode is 429 or 503;
    }
}
