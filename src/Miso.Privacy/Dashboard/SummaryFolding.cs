using Npgsql;

namespace Miso.Privacy.Dashboard;

/// <summary>
/// Folds the counter deltas every <see cref="Interval"/> in each instance (the try-lock lets one fold at a time), so
/// the deltas a summary adds to the totals stay a few hundred rows under heavy intake, and no summary computation
/// writes: a fold in the read path made every poll a write transaction that waited for its commit. It is the only
/// folder: it runs in every instance, API-only ones included.
/// </summary>
public sealed partial class SummaryFolding([FromKeyedServices(DashboardApi.PoolKey)] NpgsqlDataSource pool, ILogger<SummaryFolding> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = Interval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, stoppingToken);
                await SummaryCompaction.RunAsync(pool, stoppingToken);
                delay = Interval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database is down or busy: the deltas wait (readers add them anyway), and the fold tries again later.
                delay = TimeSpan.FromTicks(Math.Min(Math.Max(delay.Ticks * 2, Interval.Ticks), MaxDelay.Ticks));
                LogFailed(e.GetType().Name, delay.TotalSeconds);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not fold the summary counter deltas ({Error}); trying again in {DelaySeconds} s")]
    partial void LogFailed(string error, double delaySeconds);
}
