using Hangfire;
using Microsoft.Extensions.Options;
using Miso.Privacy.Erasure;

namespace Miso.Privacy.Execution;

/// <summary>
/// Starts a drain soon after a request is accepted, one batch window later so that a burst of requests
/// shares calls. At most one such drain is scheduled per window per instance.
/// </summary>
public sealed class DrainTrigger(IBackgroundJobClient jobs, IOptions<ExecutionOptions> options, TimeProvider clock)
    : IErasureRequestObserver
{
    long _nextAllowedTicks;

    public void RequestCreated(Guid requestId)
    {
        var now = clock.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _nextAllowedTicks);
        if (now < next || Interlocked.CompareExchange(ref _nextAllowedTicks, now + options.Value.BatchWindow.Ticks, next) != next)
            return;
        jobs.Schedule<DrainJob>(job => job.RunAsync(CancellationToken.None), options.Value.BatchWindow);
    }
}
