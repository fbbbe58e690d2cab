using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Miso.Privacy.Infrastructure;
using Polly;

namespace Miso.Privacy.Miso;

public static class MisoSetup
{
    /// <summary>One attempt of a Miso call, its wait at the rate gate included.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddMisoClient(this IServiceCollection services)
    {
        services.AddOptions<MisoOptions>().BindConfiguration(MisoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new EnvironmentNames(sp.GetRequiredService<IOptions<MisoOptions>>().Value.Environments.Select(e => e.Name)));
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
                o.Retry.ShouldHandle = args => ValueTask.FromResult(MisoRetries.ShouldRetry(args.Outcome, args.Context.GetRequestMessage()));
                o.AttemptTimeout.Timeout = AttemptTimeout;
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(45);
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
                o.CircuitBreaker.FailureRatio = 0.5;
                o.CircuitBreaker.MinimumThroughput = 20;
                o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(15);
            })
            // One pipeline, so one circuit breaker, per Miso environment and kind of traffic: a flood of failing
            // uploads must not open the circuit that the erasure jobs' deletions go through, nor one environment another's.
            .SelectPipelineBy(_ => request => MisoRequestOptions.PipelineOf(request));
        services.AddHttpClient<MisoClient>().AddHttpMessageHandler<RateGateHandler>();
        return services;
    }
}
