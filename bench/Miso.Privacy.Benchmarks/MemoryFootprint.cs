using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Benchmarks;

/// <summary><c>--memory</c>: the managed heap a 1M-key set holds, loaded in bulk and grown one add at a time.</summary>
static class MemoryFootprint
{
    public static void Print()
    {
        var random = new Random(11);
        var keys = new ulong[BenchData.SuppressedKeys];
        for (var i = 0; i < keys.Length; i++) keys[i] = (ulong)random.NextInt64() | 1;

        Report("ReplaceAll(1,000,000 keys)", () =>
        {
            var set = new SuppressionSet();
            set.ReplaceAll(keys);
            return set;
        });
        Report("Add x 1,000,000", () =>
        {
            var set = new SuppressionSet();
            foreach (var key in keys) set.Add(key);
            return set;
        });
        GC.KeepAlive(keys); // else it dies during the last measurement and is subtracted from it
    }

    static void Report(string what, Func<SuppressionSet> build)
    {
        var before = Settled();
        var set = build();
        var after = Settled();
        Console.WriteLine($"{what}: Count={set.Count:N0}, retained {(after - before) / 1024.0 / 1024.0:F1} MiB ({(after - before) / (double)set.Count:F1} bytes/key)");
        GC.KeepAlive(set);
    }

    // A blocking, compacting full collection, so the large-object heap left by an earlier build is gone too.
    static long Settled()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
