using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Miso.Privacy.Suppressions;

/// <summary>
/// The writer's half of the freshness lease: after a suppression change commits, its caller waits until every
/// instance holding an unexpired lease has applied it, or until those leases have run out. Only then may the
/// change return, because those instances forward without asking the database. This instance applies the change
/// to its own set itself instead of waiting for its listener to acknowledge it (the acknowledgement still follows,
/// for the writers on other instances), so with no other instance holding a lease the wait is a catch-up and one
/// statement, with no polling.
/// </summary>
public sealed partial class SuppressionPropagation(ForwarderLeases leases, SuppressionLease lease, SuppressionSync sync,
    IOptions<FreshnessOptions> options, ILogger<SuppressionPropagation> logger)
{
    static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(2);
    static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>Call after the change committed. Never throws for the database: the change has been made.</summary>
    public Task WaitAsync(CancellationToken ct) => WaitAsync(null, ct);

    /// <summary>
    /// As <see cref="WaitAsync(CancellationToken)"/>, for a writer that knows the version its change committed at: it
    /// waits for that version, not for whatever the database has reached by then, and needs no read to learn it. With
    /// no other instance holding a lease that is one catch-up read (none when the listener got there first) and one
    /// statement that acknowledges and counts.
    /// </summary>
    public async Task WaitAsync(long? committedVersion, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        // Any lease granted before the commit ends within one lease length of it, on any sane clock.
        var giveUpAfter = options.Value.FreshnessLease * 1.2 + TimeSpan.FromMilliseconds(100);
        var poll = FirstPoll;
        var version = committedVersion;
        var reported = false;
        var appliedHere = false;
        while (true)
        {
            try
            {
                long behind;
                if (!appliedHere)
                {
                    version ??= (await leases.BehindAsync(null, lease.InstanceId, ct)).Version;
                    // Without a lease of its own this instance reads the version at every upload, and before its set
                    // is loaded it forwards nothing: either way it holds no promise this change could break.
                    if (options.Value.FreshnessLease > TimeSpan.Zero && sync.IsLoaded && sync.Version < version)
                        await sync.CatchUpAsync(version.Value, ct);
                    // Said at once rather than when the listener gets to it, so the lease rows agree with what
                    // this instance forwards by the time the change returns.
                    behind = await lease.AcknowledgeAndCountBehindAsync(version.Value, ct);
                    appliedHere = true;
                }
                else
                {
                    behind = (await leases.BehindAsync(version, lease.InstanceId, ct)).Behind;
                }
                if (behind == 0) return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Cannot ask: keep asking until the leases have run out, which is when an answer is safe anyway.
                if (!reported) LogCannotAsk(e.GetType().Name);
                reported = true;
            }
            if (Stopwatch.GetElapsedTime(started) >= giveUpAfter)
            {
                LogGaveUp(version ?? 0);
                return;
            }
            await Task.Delay(poll, ct);
            poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, MaxPoll.Ticks));
        }
    }

    [LoggerMessage(LogLevel.Warning, "Cannot read the forwarder leases ({Error}); asking until they have run out before answering")]
    partial void LogCannotAsk(string error);

    [LoggerMessage(LogLevel.Warning, "Waited a whole lease for suppression version {Version} (0: never read) to reach every instance; answering")]
    partial void LogGaveUp(long version);
}
