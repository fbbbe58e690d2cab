using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Miso.Privacy.Cli.Http;

/// <summary>Which failed calls are sent again, within the command.</summary>
static class Retries
{
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>
    /// A call that cannot act twice (a read, a delete, a create with an Idempotency-Key) is retried on any transient
    /// fault. Any other (a key or a webhook created, an extension) only when the service cannot have acted on it: no
    /// connection, or 429 from the rate limiter. After a 5xx or a timeout it may have, and a retry would then be
    /// refused as a conflict or create a second key whose secret nobody saw.
    /// </summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request, TimeSpan longestRetryAfter)
    {
        if (!HttpClientResiliencePredicates.IsTransient(outcome))
            return false;
        if (outcome.Result?.Headers.RetryAfter is { } after && (after.Delta ?? after.Date - DateTimeOffset.UtcNow) > longestRetryAfter)
            return false;
        return request is not null && IsIdempotent(request)
            || outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
            || (int?)outcome.Result?.StatusCode == 429;
    }

    static bool IsIdempotent(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Delete || request.Headers.Contains(IdempotencyHeader);
}
