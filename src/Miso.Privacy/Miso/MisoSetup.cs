using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Miso.Privacy.Miso;

public static class MisoSetup
{
    /// <summary>Longer Retry-After values are left to the job's own retry schedule rather than waited out in a call.</summary>
    static readonly TimeSpan LongestInCallWait = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddMisoClient(this IServiceCollection services)
    {
        services.AddOptions<MisoOptions>().BindConfiguration(MisoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddTransient<RateGateHandler>();
        services.AddHttpClient<MisoClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler(o =>
            {
                o.Retry.MaxRetryAttempts = 3;
                o.Retry.Delay = TimeSpan.FromMilliseconds(200);
                o.Retry.BackoffType = DelayBackoffType.Exponential;
                o.Retry.UseJitter = true;
                o.Retry.ShouldRetryAfterHeader = true;
                o.Retry.ShouldHandle = args => ValueTask.FromResult(
                    HttpClientResiliencePredicates.IsTransient(args.Outcome)
                    && !(args.Outcome.Result is { } response && MisoClient.RetryAfter(response) > LongestInCallWait));
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
