using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Miso.Privacy.Suppressions;

/// <summary>
/// Holds this instance's <see cref="ForwarderLease"/>, so uploads can skip the per-upload version read. Writers
/// wait for every unexpired lease to acknowledge their change (<see cref="SuppressionPropagation"/>), so while
/// the lease runs, every change that has returned is in this instance's set. Its local end is half the lease,
/// counted from before the renewal was sent: a slow renewal or a drifting clock only makes it end sooner.
/// </summary>
public sealed partial class SuppressionLease(
    SuppressionSync sync, SuppressionStore store, ForwarderLeases leases, IOptions<FreshnessOptions> options,
    ILogger<SuppressionLease> logger) : BackgroundService
{
    public Guid InstanceId { get; } = Guid.NewGuid();

    bool _failing;
    long _acknowledged;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lease = options.Value.FreshnessLease;
        if (lease <= TimeSpan.Zero) return;
        try
        {
            await leases.PruneAsync(stoppingToken);
        }
        catch (Exception) when (!stoppingToken.IsCancellationRequested)
        {
            // Left for the next start; if the database is down, the first renewal says so.
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RenewAsync(lease, stoppingToken);
                if (_failing) LogRenewed();
                _failing = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The local end passes by itself; uploads then read the version again until a renewal succeeds.
                // Said once per outage, not at every renewal.
                if (!_failing) LogRenewalFailed(e.GetType().Name);
                _failing = true;
            }
            await Task.Delay(lease / 5, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    async Task RenewAsync(TimeSpan lease, CancellationToken ct)
    {
        var sentAt = Stopwatch.GetTimestamp();
        // Extend first, then catch up: a writer that committed before it could see this lease committed before
        // the catch-up's read, so its change is applied before the lease is trusted.
        await leases.ExtendAsync(InstanceId, sync.IsLoaded ? sync.Version : 0, lease, ct);
        await sync.CatchUpAsync(await store.ReadVersionAsync(ct), ct);
        await AcknowledgeAsync(ct);
        sync.FreshUntil(sentAt + (long)(lease.TotalSeconds / 2 * Stopwatch.Frequency));
    }

    /// <summary>
    /// Tells waiting writers how far the set has got; called after every catch-up, by the listener and by this
    /// instance's own writers. A version already acknowledged is not written again (the row's version only grows:
    /// renewals keep the greater, and a row pruned or dropped comes back from a renewal with the set's version).
    /// </summary>
    public async Task AcknowledgeAsync(CancellationToken ct)
    {
        if (ToAcknowledge() is not { } version)
            return;
        await leases.AcknowledgeAsync(InstanceId, version, ct);
        Acknowledged(version);
    }

    /// <summary>
    /// <see cref="AcknowledgeAsync"/> and the count of other instances' unexpired leases behind <paramref name="target"/>,
    /// in one round trip.
    /// </summary>
    public async Task<long> AcknowledgeAndCountBehindAsync(long target, CancellationToken ct)
    {
        var version = ToAcknowledge();
        var behind = await leases.AcknowledgeAndCountBehindAsync(InstanceId, version, target, ct);
        if (version is { } acknowledged)
            Acknowledged(acknowledged);
        return behind;
    }

    long? ToAcknowledge()
    {
        if (options.Value.FreshnessLease <= TimeSpan.Zero || !sync.IsLoaded)
            return null;
        var version = sync.Version;
        return version > Interlocked.Read(ref _acknowledged) ? version : null;
    }

    void Acknowledged(long version)
    {
        long seen;
        while ((seen = Interlocked.Read(ref _acknowledged)) < version && Interlocked.CompareExchange(ref _acknowledged, version, seen) != seen)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        sync.FreshUntil(0);
        await base.StopAsync(cancellationToken);
        sync.FreshUntil(0);
        if (options.Value.FreshnessLease <= TimeSpan.Zero) return;
        try
        {
            // Writers stop waiting for this instance at once, instead of when its lease runs out.
            await leases.DropAsync(InstanceId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogDropFailed(e.GetType().Name);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Renewing the freshness lease failed ({Error}); uploads read the suppression version until it succeeds")]
    partial void LogRenewalFailed(string error);

    [LoggerMessage(LogLevel.Information, "The freshness lease is renewed again; uploads stop reading the suppression version")]
    partial void LogRenewed();

    [LoggerMessage(LogLevel.Warning, "Dropping the freshness lease at shutdown failed ({Error}); writers wait for it to expire")]
    partial void LogDropFailed(string error);
}
