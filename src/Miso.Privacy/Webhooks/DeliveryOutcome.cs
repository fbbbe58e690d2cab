namespace Miso.Privacy.Webhooks;

/// <summary>What one attempt came to: the receiver's status (none when it never answered), why it failed, and whether trying again can help.</summary>
public sealed record DeliveryOutcome(int? StatusCode, string? Error, bool Retryable, TimeSpan? RetryAfter, TimeSpan Elapsed)
{
    public bool Delivered => StatusCode is >= 200 and < 300;

    public static DeliveryOutcome Answered(int status, TimeSpan? retryAfter, TimeSpan elapsed) => status switch
    {
        >= 200 and < 300 => new(status, null, false, null, elapsed),
        // Standard Webhooks: 410 Gone says the receiver wants no more; every other answer is a failure worth retrying.
        410 => new(status, "HTTP 410 Gone: the receiver asked not to be sent more", false, null, elapsed),
        _ => new(status, $"HTTP {status}", true, retryAfter, elapsed),
    };

    public static DeliveryOutcome NoAnswer(string error, bool retryable, TimeSpan elapsed) => new(null, error, retryable, null, elapsed);
}

/// <summary>The dispatch's own retries: base × 2^(attempt−1), capped, with jitter; a Retry-After longer than that is honoured up to the cap.</summary>
public static class DeliveryBackoff
{
    public static TimeSpan Delay(WebhookOptions options, int attempts, TimeSpan? retryAfter)
    {
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(30, Math.Max(0, attempts - 1)));
        var capped = Math.Min(exponential, options.RetryMaxDelay.TotalMilliseconds);
        var delay = TimeSpan.FromMilliseconds(capped * (0.8 + 0.4 * Random.Shared.NextDouble()));
        return retryAfter is { } after && after > delay ? (after < options.RetryMaxDelay ? after : options.RetryMaxDelay) : delay;
    }
}
