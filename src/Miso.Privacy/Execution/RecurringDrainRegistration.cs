using Hangfire;
using Microsoft.Extensions.Options;

namespace Miso.Privacy.Execution;

/// <summary>
/// Registers the recurring drain. It runs at start (registration is synchronous, so a reachable database has it
/// before the first request); when the database is down, it keeps trying in the background instead of stopping
/// the service from starting.
/// </summary>
sealed partial class RecurringDrainRegistration(
    IRecurringJobManager jobs, IOptions<ExecutionOptions> options, ILogger<RecurringDrainRegistration> logger) : BackgroundService
{
    static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cron = $"*/{(int)options.Value.DrainInterval.TotalSeconds} * * * * *";
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                jobs.AddOrUpdate<DrainJob>(DrainJob.RecurringId, job => job.RunAsync(CancellationToken.None), cron);
                return;
            }
            catch (Exception e)
            {
                LogFailed(e.GetType().Name, delay.TotalSeconds);
            }
            await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not register the recurring drain ({Error}); trying again in {DelaySeconds} s")]
    partial void LogFailed(string error, double delaySeconds);
}
