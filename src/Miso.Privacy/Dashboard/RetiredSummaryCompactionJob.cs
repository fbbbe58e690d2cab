using Hangfire;

namespace Miso.Privacy.Dashboard;

/// <summary>
/// Removes the minutely Hangfire fold (<c>summary-compaction</c>) that earlier versions registered: every instance now
/// folds every second itself (<see cref="SummaryFolding"/>), so the job only did the same work again, and its type is
/// gone. While the database is down, it keeps trying in the background.
/// </summary>
sealed partial class RetiredSummaryCompactionJob(IRecurringJobManager jobs, ILogger<RetiredSummaryCompactionJob> logger) : BackgroundService
{
    public const string RecurringId = "summary-compaction";
    static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                jobs.RemoveIfExists(RecurringId);
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

    [LoggerMessage(LogLevel.Warning, "Could not remove the retired summary-compaction job ({Error}); trying again in {DelaySeconds} s")]
    partial void LogFailed(string error, double delaySeconds);
}
