using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Miso.Privacy.Miso;

public static class MisoSetup
{
    /// <summary>Longer Retry-After values are left to the job's own retry schedule rather than waited out in a call.</summary>
    static readonly TimeSpan LongestInCallWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Deletions are idempotent and retried on any transient fault. An upload is retried only when
    /// Miso cannot have stored it (no connection, 429, 503): after a timeout or a 500 it may have,
    /// and a retry would store the customer's interactions twice.
    /// </summary>
    static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        if (!HttpClientResiliencePredicates.IsTransient(outcome))
            return false;
        if (outcome.Result is { } response && MisoClient.RetryAfter(response) > LongestInCallWait)
            return false;
        var upload = context.GetRequestMessage() is { } request
            && !(request.Options.TryGetValue(MisoRequestOptions.RateLimited, out var limited) && limited);
        return !upload
            || outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
            || (int?)outcome.Result?.StatusCode is 429 or 503;
    }

    public static IServiceCollection AddMisoClient(this IServiceCollection services)
    {
        services.AddOptions<MisoOptions>().BindConfiguration(MisoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddTransient<RateGateHandler>();
        services.AddHttpClient<MisoClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            // The default per-request logging handlers cost a scope on every upload and their header
            // dumps carry X-API-KEY; calls are logged by the callers, without keys.
            .RemoveAllLoggers()
            .AddStandardResilienceHandler(o =>
            {
                o.Retry.MaxRetryAttempts = 3;
                o.Retry.Delay = TimeSpan.FromMilliseconds(200);
                o.Retry.BackoffType = DelayBackoffType.Exponential;
                o.Retry.UseJitter = true;
                o.Retry.ShouldRetryAfterHeader = true;
                o.Retry.ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context));
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(45);
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
                o.CircuitBreaker.FailureRatio = 0.5;
                o.CircuitBreaker.MinimumThroughput = 20;
                o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(15);
            })
            // One circuit breaker per Miso environment, not one for all of them.
            .SelectPipelineBy(_ => request => MisoRequestOptions.EnvironmentOf(request));
        services.AddHttpClient<MisoClient>().AddHttpMessageHandler<RateGateHandler>();
        return services;
    }
}
