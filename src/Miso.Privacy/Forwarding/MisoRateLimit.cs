using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Miso.Privacy.Forwarding;

/// <summary>
/// Limits the Miso-compatible routes per Miso key: each configured key its own bucket, and every other caller (no
/// key, or one that is not configured) the bucket of its client address, so made-up keys cannot open new buckets.
/// Refusals are worded and shaped as Miso's own, with Retry-After.
/// </summary>
public sealed partial class MisoRateLimit(MisoKeys keys, IOptions<MisoRateLimitOptions> options, ILogger<MisoRateLimit> logger)
    : IRateLimiterPolicy<string>
{
    public const string Policy = "miso-keys";

    // One delegate for every call: a lambda here would be a new one per call.
    readonly Func<string, TokenBucketRateLimiterOptions> _bucketFor = Bucket(options.Value);

    static Func<string, TokenBucketRateLimiterOptions> Bucket(MisoRateLimitOptions settings)
    {
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.Burst,
            TokensPerPeriod = settings.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        return _ => bucket;
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetTokenBucketLimiter(PartitionOf(httpContext), _bucketFor);

    string PartitionOf(HttpContext context) =>
        keys.Resolve(context.Request) is { } key
            ? key.RateLimitPartition
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        // Neither the key nor the client address: the log names the environment, or no one.
        LogRejected(keys.Resolve(context.Request)?.Environment ?? "an unknown key", seconds);
        await MisoAnswers.Message($"Too many requests with this API key. Retry after {seconds} s.", StatusCodes.Status429TooManyRequests)
            .ExecuteAsync(context);
    }

    [LoggerMessage(LogLevel.Information, "Miso-compatible call for {Environment} refused by the per-key rate limit; retry after {Seconds} s.")]
    partial void LogRejected(string environment, int seconds);
}
