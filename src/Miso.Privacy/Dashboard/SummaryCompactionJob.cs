using Hangfire;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Dashboard;

/// <summary>
/// Folds the counter deltas every minute where Hangfire servers run, besides each instance's own fold every second
/// (<see cref="SummaryFolding"/>).
/// </summary>
public sealed class SummaryCompactionJob(PrivacyDbContext db)
{
    public const string RecurringId = "summary-compaction";

    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(CancellationToken ct) => SummaryCompaction.RunAsync(db, ct);
}

/// <summary>Registers the recurring compaction at start; while the database is down, it keeps trying in the background.</summary>
sealed partial class RecurringSummaryCompactionRegistration(IRecurringJobManager jobs, ILogger<RecurringSummaryCompactionRegistration> logger)
    : BackgroundService
{
    static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                jobs.AddOrUpdate<SummaryCompactionJob>(SummaryCompactionJob.RecurringId, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
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

    [LoggerMessage(LogLevel.Warning, "Could not register the recurring summary compaction ({Error}); trying again in {DelaySeconds} s")]
    partial void LogFailed(string error, double delaySeconds);
}
