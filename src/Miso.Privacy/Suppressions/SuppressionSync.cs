using System.Diagnostics;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Subjects;

namespace Miso.Privacy.Suppressions;

/// <summary>
/// This instance's copy of the suppressed subjects, per environment, and the version of the database it reflects.
/// Every change, in whichever environment, commits with a higher version, in version order; so once the copy is at
/// the version an upload read, it holds every erasure that returned before the upload arrived, on whichever instance
/// it was made. One version for all environments: every instance serves every environment, so a writer waits for
/// every instance either way, and an upload reads one number whatever its environment.
/// </summary>
public sealed partial class SuppressionSync
{
    readonly SuppressionStore _store;
    readonly VersionReads _versions;
    readonly ILogger<SuppressionSync> _logger;
    readonly SemaphoreSlim _gate = new(1, 1);
    volatile bool _loaded;
    long _freshUntil;

    public SuppressionSync(SuppressionStore store, VersionReads versions, SubjectHasher hasher, EnvironmentNames environments,
        BlockedUploads blocked, ILogger<SuppressionSync> logger)
    {
        (_store, _versions, _logger) = (store, versions, logger);
        Sets = new SuppressionSets(environments.All, hasher, blocked);
    }

    public SuppressionSets Sets { get; }

    public long Version => Sets.Version;

    public bool IsLoaded => _loaded;

    /// <summary>Takes an id's lookup key (SipHash) and looks it up in the environment's set; cached per environment.</summary>
    public SubjectPredicate For(string environment) => Sets.For(environment);

    /// <summary>
    /// Until <paramref name="timestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>), the copy is known to hold every
    /// change that has returned, because this instance's lease holds (<see cref="SuppressionLease"/>).
    /// </summary>
    public void FreshUntil(long timestamp) => Volatile.Write(ref _freshUntil, timestamp);

    /// <summary>
    /// Brings the copy up to the database's version as read after <paramref name="arrivedAt"/>, unless the lease
    /// vouches for it now (which is after the upload arrived); throws when it cannot.
    /// </summary>
    public async Task EnsureCurrentAsync(long arrivedAt, CancellationToken ct)
    {
        if (_loaded && Stopwatch.GetTimestamp() < Volatile.Read(ref _freshUntil))
            return;
        var version = await _versions.ReadAsync(arrivedAt).WaitAsync(ct);
        if (!_loaded || Sets.Version < version)
            await CatchUpAsync(version, ct);
    }

    /// <summary>
    /// Loads everything the first time, then applies what changed since the local version. Serialized; applying
    /// a key's final state is idempotent, so a catch-up cut short is simply redone by the next.
    /// </summary>
    public async Task CatchUpAsync(long target, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (!_loaded)
            {
                var (version, keys) = await _store.LoadAllAsync(ct);
                Sets.ReplaceAll(keys);
                Sets.Version = version;
                _loaded = true;
                LogLoaded(keys.Count, version);
            }
            else if (Sets.Version < target)
            {
                var (version, changes) = await _store.ChangesSinceAsync(Sets.Version, ct);
                foreach (var change in changes)
                    Sets.Apply(change);
                // Published last: a reader that sees the new version also sees the keys it covers.
                Sets.Version = version;
                LogCaughtUp(changes.Count, version);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(LogLevel.Information, "Loaded {Count} active suppressions at version {Version}")]
    partial void LogLoaded(int count, long version);

    [LoggerMessage(LogLevel.Debug, "Applied {Count} suppression changes up to version {Version}")]
    partial void LogCaughtUp(int count, long version);
}
