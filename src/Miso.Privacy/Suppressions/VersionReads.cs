using System.Diagnostics;

namespace Miso.Privacy.Suppressions;

/// <summary>
/// Reads of the database's suppression version, shared between concurrent uploads. An upload may use any read
/// that started after it arrived: such a read sees every erasure that returned before the upload was sent.
/// </summary>
public sealed class VersionReads(SuppressionStore store)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    readonly Lock _gate = new();
    Task<long>? _latest;
    long _latestStartedAt;

    /// <param name="arrivedAt">A <see cref="Stopwatch.GetTimestamp"/> taken once the upload had arrived.</param>
    public Task<long> ReadAsync(long arrivedAt)
    {
        lock (_gate)
        {
            if (_latest is { IsFaulted: false, IsCanceled: false } shared && _latestStartedAt >= arrivedAt)
                return shared;
            _latestStartedAt = Stopwatch.GetTimestamp();
            return _latest = ReadCoreAsync();
        }
    }

    async Task<long> ReadCoreAsync()
    {
        // Not the caller's token: the read is shared, and one caller giving up must not fail the others.
        await Task.Yield();
        using var timeout = new CancellationTokenSource(Timeout);
        return await store.ReadVersionAsync(timeout.Token);
    }
}
