using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Miso.Privacy.Infrastructure.RateLimiting;

/// <summary>
/// Limits the management API (<c>/api/*</c>) per API key. Health, metrics, the dashboard page and the
/// Miso-compatible <c>/v1/*</c> routes are not limited here: uploads follow Miso's own traffic, and probes
/// must never be refused.
/// </summary>
public static partial class RateLimitingSetup
{
    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitingOptions>().Bind(configuration.GetSection(RateLimitingOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitingOptions>>((limiter, settings) =>
        {
            var bucket = new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.Value.Burst,
                TokensPerPeriod = settings.Value.PermitsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            };
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/api")
                    ? RateLimitPartition.GetTokenBucketLimiter(PartitionOf(context), _ => bucket)
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>
    /// A recognised key is its own partition, named by the key's configured name (never the key itself).
    /// Anything else, no key or an unknown one, shares its client address's partition, so trying many
    /// made-up keys cannot open many buckets.
    /// </summary>
    internal static string PartitionOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name }
            ? "key:" + name
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var keyName = context.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : null;
        // The client address is personal data: the log names the key, or no one.
        LogRejected(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimitingSetup)),
            keyName ?? "an unauthenticated caller", seconds);
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            ["rate_limit"] = [$"Too many calls {(keyName is null ? "from this client" : "with this API key")}; retry after {seconds} s."],
        })
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests.",
        };
        await TypedResults.Problem(problem).ExecuteAsync(context);
    }

    [LoggerMessage(LogLevel.Information, "Management API call by {Caller} refused by the rate limit; retry after {Seconds} s.")]
    static partial void LogRejected(ILogger logger, string caller, int seconds);
}
