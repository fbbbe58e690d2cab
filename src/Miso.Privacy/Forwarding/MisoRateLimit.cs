using System.Collections.Frozen;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Miso.Privacy.Forwarding;

/// <summary>
/// Limits the Miso-compatible routes per Miso key: each configured key its own bucket, and every other caller (no
/// key, or one that is not configured) the bucket of its client address, so made-up keys cannot open new buckets.
/// Refusals are worded and shaped as Miso's own, with Retry-After.
/// </summary>
/// <remarks>
/// Run by the Miso routes' branch of the pipeline (<see cref="MisoRoutes.UseMisoRoutes"/>) as a plain step rather
/// than through ASP.NET Core's rate-limiting middleware: the configured keys are known at start, so each has its
/// bucket made once and found by reference, where the middleware looked up endpoint metadata, a partition name and
/// a partition under a lock, and awaited a lease, on every forwarded call. The buckets are the same token buckets.
/// </remarks>
public sealed partial class MisoRateLimit : IDisposable
{
    /// <summary>The policy name the Miso groups carry: a route marked with it that the branch does not take fails loudly in the main limiter.</summary>
    public const string Policy = "miso-keys";

    readonly MisoKeys _keys;
    readonly ILogger<MisoRateLimit> _logger;
    readonly FrozenDictionary<MisoKey, TokenBucketRateLimiter> _perKey;
    readonly PartitionedRateLimiter<string> _perAddress;

    public MisoRateLimit(MisoKeys keys, IOptions<MisoRateLimitOptions> options, ILogger<MisoRateLimit> logger)
    {
        (_keys, _logger) = (keys, logger);
        var settings = options.Value;
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.Burst,
            TokensPerPeriod = settings.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _perKey = keys.All.ToFrozenDictionary<MisoKey, MisoKey, TokenBucketRateLimiter>(key => key, _ => new TokenBucketRateLimiter(bucket), ReferenceEqualityComparer.Instance);
        _perAddress = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => bucket));
    }

    /// <summary>Lets the call on to <paramref name="next"/> when its bucket has a token; otherwise answers 429 itself.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var key = _keys.Resolve(context.Request);
        var lease = key is not null
            ? _perKey[key].AttemptAcquire()
            : _perAddress.AttemptAcquire(context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (!lease.IsAcquired)
            return RejectAsync(context, key, lease);
        // A token bucket's lease holds nothing: the token is spent, not handed back when the call ends.
        lease.Dispose();
        return next(context);
    }

    async Task RejectAsync(HttpContext context, MisoKey? key, RateLimitLease lease)
    {
        using (lease)
        {
            var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                : 1;
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            // Neither the key nor the client address: the log names the environment, or no one.
            LogRejected(key?.Environment ?? "an unknown key", seconds);
            await MisoAnswers.Message($"Too many requests with this API key. Retry after {seconds} s.", StatusCodes.Status429TooManyRequests)
                .ExecuteAsync(context);
        }
    }

    public void Dispose()
    {
        foreach (var limiter in _perKey.Values)
            limiter.Dispose();
        _perAddress.Dispose();
    }

    [LoggerMessage(LogLevel.Information, "Miso-compatible call for {Environment} refused by the per-key rate limit; retry after {Seconds} s.")]
    partial void LogRejected(string environment, int seconds);
}
