using System.Globalization;
using Npgsql;

namespace Miso.Privacy.Suppressions;

/// <summary>
/// Keeps the suppression set current between uploads, and acknowledges each change to the writers waiting on
/// this instance's lease. Correctness never depends on it: a missed notification only means the lease's next
/// renewal (or, without a lease, the next upload) catches up instead.
/// </summary>
sealed partial class SuppressionListener(
    SuppressionSync sync, SuppressionStore store, SuppressionLease lease, [FromKeyedServices(SuppressionsApi.ListenKey)] NpgsqlDataSource listenSource,
    ILogger<SuppressionListener> logger) : BackgroundService
{
    static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(30);
    static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);
    static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>Loads the set before the host starts serving, when the database lets it; otherwise keeps trying in the background.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await sync.CatchUpAsync(0, cancellationToken).WaitAsync(StartupWait, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStartupLoadFailed(e.GetType().Name);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken, () => backoff = TimeSpan.FromMilliseconds(250));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Any failure: drop the connection, wait, listen again; the set stays as it was meanwhile.
                LogListenFailed(e.GetType().Name, backoff.TotalMilliseconds);
                await Task.Delay(backoff, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    async Task ListenAsync(CancellationToken ct, Action connected)
    {
        await using var connection = await listenSource.OpenConnectionAsync(ct);
        var notified = 0L;
        connection.Notification += (_, e) =>
        {
            if (long.TryParse(e.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                notified = Math.Max(notified, version);
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {SuppressionWriter.Channel}", connection))
            await listen.ExecuteNonQueryAsync(ct);
        connected();

        // Whatever committed while we were not listening.
        await sync.CatchUpAsync(await store.ReadVersionAsync(ct), ct);
        await lease.AcknowledgeAsync(ct);
        while (true)
        {
            var target = await connection.WaitAsync(IdleCheck, ct) ? notified : await store.ReadVersionAsync(ct);
            if (!sync.IsLoaded || target > sync.Version)
                await sync.CatchUpAsync(target, ct);
            // Writers are waiting for this, even when an upload caught the set up first: their change returns to
            // its caller once every lease has it.
            await lease.AcknowledgeAsync(ct);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not load the suppression set at start ({Error}); uploads wait for it and readiness stays unhealthy")]
    partial void LogStartupLoadFailed(string error);

    [LoggerMessage(LogLevel.Warning, "Listening for suppression changes failed ({Error}); reconnecting in {DelayMs} ms")]
    partial void LogListenFailed(string error, double delayMs);
}
