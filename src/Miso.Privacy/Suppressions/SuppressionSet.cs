using System.Numerics;

namespace Miso.Privacy.Suppressions;

/// <summary>
/// Suppressed subjects keyed by their 64-bit SipHash lookup key. Readers are lock-free; writers
/// take a lock. Linear probing over one <c>ulong[]</c>: a slot only ever goes empty → key, key → tombstone
/// or tombstone → key, so a reader probing for a key that stays present can never be cut short. Growth and
/// <see cref="ReplaceAll"/> build a new table and publish it whole.
/// </summary>
/// <remarks>
/// At a million keys the table is 16 MB, and nearly every lookup is a cache miss: in the forwarding bench
/// <see cref="Contains"/> was the forwarder's top function, about 0.35 µs a lookup. Most ids uploaded are not
/// suppressed, so a filter of 3 bits per key in one 64-bit word (a blocked Bloom filter, one word per 16 slots: 1 MB
/// at a million keys, small enough to stay cached) answers most misses without touching the table. It only ever says
/// "maybe": its bits are set before the key is written, and never cleared until a rebuild, so it cannot hide a key.
/// </remarks>
public sealed class SuppressionSet
{
    const ulong Empty = 0;
    const ulong Tombstone = ulong.MaxValue;
    const int MinCapacity = 16;
    const int SlotsPerFilterWord = 16;

    /// <summary>
    /// Capacity slots (a power of two) plus two flags for the keys 0 and ulong.MaxValue, which the table reserves as
    /// markers, and the filter; one object, so that ReplaceAll and growth swap everything in one write.
    /// </summary>
    sealed class Table(int capacity)
    {
        public readonly ulong[] Slots = new ulong[capacity + 2];
        public readonly ulong[] Filter = new ulong[capacity / SlotsPerFilterWord];
    }

    Table _table = new(MinCapacity);
    int _used; // slots holding a key or a tombstone; writer-only
    int _count;
    readonly Lock _gate = new();
    readonly Lock _replaceGate = new();
    List<(ulong Key, bool Added)>? _journal;

    public int Count => Volatile.Read(ref _count);

    public bool Contains(ulong key)
    {
        var table = Volatile.Read(ref _table);
        var slots = table.Slots;
        var capacity = slots.Length - 2;
        if (key - 1 >= Tombstone - 1)
            return Volatile.Read(ref slots[capacity + (int)(key & 1)]) != 0;
        var (word, bits) = FilterOf(key, table.Filter.Length);
        if ((Volatile.Read(ref table.Filter[word]) & bits) != bits)
            return false;

        var mask = capacity - 1;
        var i = Home(key, capacity);
        while (true)
        {
            var slot = Volatile.Read(ref slots[i]);
            if (slot == key) return true;
            if (slot == Empty) return false;
            i = (i + 1) & mask;
        }
    }

    public void Add(ulong key)
    {
        lock (_gate)
        {
            _journal?.Add((key, true));
            AddCore(key);
        }
    }

    public void Remove(ulong key)
    {
        lock (_gate)
        {
            _journal?.Add((key, false));
            RemoveCore(key);
        }
    }

    /// <summary>
    /// Rebuilds from a full load. The keys are enumerated outside the write lock (it may be a slow database
    /// read); adds and removes made meanwhile are journalled and replayed onto the new set before it is
    /// published, so a suppression written during the load is not lost.
    /// </summary>
    public void ReplaceAll(IEnumerable<ulong> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (_replaceGate)
        {
            lock (_gate) _journal = [];
            try
            {
                var fresh = new SuppressionSet();
                if (keys.TryGetNonEnumeratedCount(out var expected))
                    fresh._table = new Table(CapacityFor(expected));
                foreach (var key in keys) fresh.AddCore(key);

                lock (_gate)
                {
                    foreach (var (key, added) in _journal)
                    {
                        if (added) fresh.AddCore(key);
                        else fresh.RemoveCore(key);
                    }
                    _used = fresh._used;
                    Volatile.Write(ref _table, fresh._table);
                    Volatile.Write(ref _count, fresh._count);
                }
            }
            finally
            {
                lock (_gate) _journal = null;
            }
        }
    }

    void AddCore(ulong key)
    {
        var table = _table;
        var slots = table.Slots;
        var capacity = slots.Length - 2;
        if (key - 1 >= Tombstone - 1)
        {
            ref var flag = ref slots[capacity + (int)(key & 1)];
            if (flag != 0) return;
            Volatile.Write(ref flag, 1);
            Volatile.Write(ref _count, _count + 1);
            return;
        }

        var mask = capacity - 1;
        var i = Home(key, capacity);
        var reusable = -1;
        while (true)
        {
            var slot = slots[i];
            if (slot == key) return;
            if (slot == Empty) break;
            if (slot == Tombstone && reusable < 0) reusable = i;
            i = (i + 1) & mask;
        }

        if (reusable >= 0)
        {
            MarkFilter(table.Filter, key);
            Volatile.Write(ref slots[reusable], key);
        }
        else if ((_used + 1) * 10L > capacity * 7L)
        {
            Rebuild(CapacityFor(LiveKeys() + 1));
            AddCore(key);
            return;
        }
        else
        {
            MarkFilter(table.Filter, key);
            Volatile.Write(ref slots[i], key);
            _used++;
        }
        Volatile.Write(ref _count, _count + 1);
    }

    void RemoveCore(ulong key)
    {
        var slots = _table.Slots;
        var capacity = slots.Length - 2;
        if (key - 1 >= Tombstone - 1)
        {
            ref var flag = ref slots[capacity + (int)(key & 1)];
            if (flag == 0) return;
            Volatile.Write(ref flag, 0);
            Volatile.Write(ref _count, _count - 1);
            return;
        }

        var mask = capacity - 1;
        var i = Home(key, capacity);
        while (true)
        {
            var slot = slots[i];
            if (slot == Empty) return;
            if (slot == key)
            {
                Volatile.Write(ref slots[i], Tombstone);
                Volatile.Write(ref _count, _count - 1);
                return;
            }
            i = (i + 1) & mask;
        }
    }

    int LiveKeys()
    {
        var slots = _table.Slots;
        var capacity = slots.Length - 2;
        return _count - (int)slots[capacity] - (int)slots[capacity + 1];
    }

    /// <summary>Copies the live keys into a new table (dropping tombstones and the removed keys' filter bits) and publishes it.</summary>
    void Rebuild(int capacity)
    {
        var old = _table.Slots;
        var oldCapacity = old.Length - 2;
        var table = new Table(capacity);
        var fresh = table.Slots;
        var mask = capacity - 1;
        var used = 0;
        for (var j = 0; j < oldCapacity; j++)
        {
            var key = old[j];
            if (key is Empty or Tombstone) continue;
            var i = Home(key, capacity);
            while (fresh[i] != Empty) i = (i + 1) & mask;
            fresh[i] = key;
            MarkFilter(table.Filter, key);
            used++;
        }
        fresh[capacity] = old[oldCapacity];
        fresh[capacity + 1] = old[oldCapacity + 1];
        _used = used;
        Volatile.Write(ref _table, table);
    }

    /// <summary>
    /// The key's filter word and its 3 bits, from a second multiplicative hash, so that a key's filter bits and its
    /// slot (<see cref="Home"/>) are independent.
    /// </summary>
    static (int Word, ulong Bits) FilterOf(ulong key, int words)
    {
        var h = key * 0xC2B2AE3D27D4EB4FUL;
        return ((int)(h >> 14) & (words - 1), (1UL << (int)(h >> 58)) | (1UL << (int)(h >> 52)) | (1UL << (int)(h >> 46)));
    }

    /// <summary>Before the key is written: a reader that finds the key also finds its bits.</summary>
    static void MarkFilter(ulong[] filter, ulong key)
    {
        var (word, bits) = FilterOf(key, filter.Length);
        Volatile.Write(ref filter[word], filter[word] | bits);
    }

    /// <summary>Fibonacci hashing, so keys that are not uniformly random (tests, hand-made ids) still spread.</summary>
    static int Home(ulong key, int capacity) =>
        (int)((key * 0x9E3779B97F4A7C15UL) >> (64 - BitOperations.Log2((uint)capacity)));

    /// <summary>Room for <paramref name="keys"/> at a load of at most one half, so growth leaves headroom.</summary>
    static int CapacityFor(int keys) =>
        Math.Max(MinCapacity, (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, keys) * 2));

}
