using System.Collections.Concurrent;

namespace Miso.Privacy.Suppressions;

/// <summary>
/// Evidence of blocked re-entry, counted in memory: how many uploaded records each suppressed lookup key dropped, per
/// environment, since the last flush (<see cref="BlockedUploadsFlush"/> writes them, mapped to requests, every few
/// seconds). A kept record costs nothing here; a dropped one, a dictionary hit and two interlocked writes. Only the
/// 64-bit lookup key is held, never the id, and nothing here is logged or labelled.
/// </summary>
public sealed class BlockedUploads
{
    /// <summary>Past this many distinct keys between flushes, the idle ones are forgotten after a flush.</summary>
    const int MaxKeys = 100_000;

    readonly ConcurrentDictionary<(string Environment, ulong Key), Tally> _tallies = new();

    sealed class Tally
    {
        public long Records;
        public long LastTicks;
    }

    public void Record(string environment, ulong key)
    {
        var tally = _tallies.GetOrAdd((environment, key), static _ => new Tally());
        Interlocked.Increment(ref tally.Records);
        Volatile.Write(ref tally.LastTicks, DateTime.UtcNow.Ticks);
    }

    public readonly record struct Blocked(string Environment, ulong Key, long Records, DateTimeOffset LastAt);

    /// <summary>Takes every count since the last call (each drop is taken exactly once).</summary>
    public List<Blocked> Take()
    {
        var taken = new List<Blocked>();
        foreach (var (key, tally) in _tallies)
        {
            var records = Interlocked.Exchange(ref tally.Records, 0);
            if (records > 0)
                taken.Add(new Blocked(key.Environment, key.Key, records, new DateTimeOffset(Volatile.Read(ref tally.LastTicks), TimeSpan.Zero)));
        }
        if (_tallies.Count > MaxKeys)
            foreach (var (key, tally) in _tallies)
                if (Volatile.Read(ref tally.Records) == 0)
                    _tallies.TryRemove(new KeyValuePair<(string, ulong), Tally>(key, tally));
        return taken;
    }

    /// <summary>Puts counts back after a failed write, so a database outage delays the evidence without losing it.</summary>
    public void Restore(IEnumerable<Blocked> blocked)
    {
        foreach (var b in blocked)
        {
            var tally = _tallies.GetOrAdd((b.Environment, b.Key), static _ => new Tally());
            Interlocked.Add(ref tally.Records, b.Records);
            var ticks = b.LastAt.UtcTicks;
            if (Volatile.Read(ref tally.LastTicks) < ticks)
                Volatile.Write(ref tally.LastTicks, ticks);
        }
    }
}
