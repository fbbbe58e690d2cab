using Hangfire;
using Microsoft.Extensions.Options;

namespace Miso.Privacy.Webhooks;

/// <summary>Registers the recurring dispatch at start; while the database is down, it keeps trying in the background.</summary>
sealed partial class RecurringDispatchRegistration(
    IRecurringJobManager jobs, IOptions<WebhookOptions> options, ILogger<RecurringDispatchRegistration> logger) : BackgroundService
{
    static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cron = $"*/{(int)options.Value.DispatchInterval.TotalSeconds} * * * * *";
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                jobs.AddOrUpdate<DispatchJob>(DispatchJob.RecurringId, DispatchJob.Queue, job => job.RunAsync(CancellationToken.None), cron);
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

    [LoggerMessage(LogLevel.Warning, "Could not register the recurring webhook dispatch ({Error}); trying again in {DelaySeconds} s")]
    partial void LogFailed(string error, double delaySeconds);
}
