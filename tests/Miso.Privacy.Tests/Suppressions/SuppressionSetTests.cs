using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Tests.Suppressions;

public class SuppressionSetTests
{
    [Fact]
    public void Set_ContainsAKey_FromAddUntilRemove()
    {
        var set = new SuppressionSet();
        Assert.False(set.Contains(42));

        set.Add(42);
        set.Add(42);
        Assert.True(set.Contains(42));
        Assert.False(set.Contains(43));
        Assert.Equal(1, set.Count);

        set.Remove(42);
        set.Remove(42);
        Assert.False(set.Contains(42));
        Assert.Equal(0, set.Count);

        set.Add(42);
        Assert.True(set.Contains(42));
        Assert.Equal(1, set.Count);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(ulong.MaxValue)]
    public void Set_StoresTheKeysTheTableReservesAsMarkers_Too(ulong key)
    {
        var set = new SuppressionSet();
        Assert.False(set.Contains(key));

        set.Add(key);
        Assert.True(set.Contains(key));
        Assert.Equal(1, set.Count);
        for (ulong other = 1; other < 100; other++) set.Add(other);
        Assert.True(set.Contains(key));

        set.Remove(key);
        Assert.False(set.Contains(key));
        Assert.Equal(99, set.Count);

        set.ReplaceAll([key]);
        Assert.True(set.Contains(key));
        Assert.Equal(1, set.Count);
    }

    [Fact]
    public void Set_Grows_PastItsCapacity()
    {
        var set = new SuppressionSet();
        for (ulong key = 1; key <= 100_000; key++) set.Add(key);

        Assert.Equal(100_000, set.Count);
        for (ulong key = 1; key <= 100_000; key++) Assert.True(set.Contains(key));
        Assert.False(set.Contains(100_001));
    }

    [Fact]
    public void ReplaceAll_SwapsTheWholeSet()
    {
        var set = new SuppressionSet();
        set.Add(1);
        set.Add(2);

        set.ReplaceAll(Enumerable.Range(10, 5).Select(i => (ulong)i));

        Assert.False(set.Contains(1));
        Assert.False(set.Contains(2));
        Assert.True(set.Contains(10));
        Assert.True(set.Contains(14));
        Assert.Equal(5, set.Count);

        set.ReplaceAll([]);
        Assert.Equal(0, set.Count);
        Assert.False(set.Contains(10));
    }

    [Fact]
    public void ReplaceAll_KeepsWritesMade_WhileTheKeysAreRead()
    {
        var set = new SuppressionSet();
        set.Add(1);

        IEnumerable<ulong> SlowLoad()
        {
            yield return 5;
            set.Add(7);    // suppressed during the load, after the snapshot was taken
            set.Remove(1);
            yield return 1; // the snapshot still had it, but it was lifted meanwhile
        }
        set.ReplaceAll(SlowLoad());

        Assert.True(set.Contains(5));
        Assert.True(set.Contains(7));
        Assert.False(set.Contains(1));
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void Set_AgreesWithAHashSet_UnderRandomAddsAndRemoves()
    {
        var random = new Random(1234);
        var set = new SuppressionSet();
        var reference = new HashSet<ulong>();
        var pool = Enumerable.Range(0, 20_000).Select(_ => (ulong)random.NextInt64() | ((ulong)random.Next(2) << 63)).ToArray();
        pool[0] = 0;
        pool[1] = ulong.MaxValue;

        for (var step = 0; step < 200_000; step++)
        {
            var key = pool[random.Next(pool.Length)];
            if (random.Next(3) == 0)
            {
                set.Remove(key);
                reference.Remove(key);
            }
            else
            {
                set.Add(key);
                reference.Add(key);
            }
        }

        Assert.Equal(reference.Count, set.Count);
        foreach (var key in pool) Assert.Equal(reference.Contains(key), set.Contains(key));
        for (var i = 0; i < 10_000; i++)
        {
            var stranger = (ulong)random.NextInt64();
            Assert.Equal(reference.Contains(stranger), set.Contains(stranger));
        }
    }

    [Fact]
    public void Set_HoldsAMillionKeys_InWellUnder64Megabytes()
    {
        var random = new Random(7);
        var keys = new ulong[1_000_000];
        for (var i = 0; i < keys.Length; i++) keys[i] = (ulong)random.NextInt64() + 1;
        var set = new SuppressionSet();

        var before = GC.GetAllocatedBytesForCurrentThread();
        set.ReplaceAll(keys);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 24L * 1024 * 1024, $"{allocated:N0} bytes");
        Assert.True(set.Contains(keys[0]) && set.Contains(keys[^1]));
    }

    [Fact]
    public async Task Contains_NeverMissesAStableKey_WhileAnotherThreadWrites()
    {
        var random = new Random(99);
        var stable = Enumerable.Range(0, 2_000).Select(_ => (ulong)random.NextInt64() + 1).ToArray();
        var set = new SuppressionSet();
        foreach (var key in stable) set.Add(key);

        var done = 0;
        var misses = 0L;
        var checks = 0L;
        var started = 0;
        var readers = Enumerable.Range(0, 2).Select(r => Task.Factory.StartNew(() =>
        {
            Interlocked.Increment(ref started);
            var local = 0L;
            while (Volatile.Read(ref done) == 0)
            {
                foreach (var key in stable)
                {
                    if (!set.Contains(key)) Interlocked.Increment(ref misses);
                }
                local += stable.Length;
            }
            Interlocked.Add(ref checks, local);
        }, TaskCreationOptions.LongRunning)).ToArray();

        var writer = Task.Factory.StartNew(() =>
        {
            SpinWait.SpinUntil(() => Volatile.Read(ref started) == 2);
            var churn = new Random(5);
            for (var round = 0; round < 4; round++)
            {
                var others = Enumerable.Range(0, 60_000).Select(_ => (ulong)churn.NextInt64() + 1).ToArray();
                foreach (var key in others) set.Add(key);               // several growths
                foreach (var key in others) set.Remove(key);            // tombstones, then rebuilds on the next adds
                set.ReplaceAll(stable.Concat(others.Take(1_000)));      // a reload that keeps the stable keys
            }
            Volatile.Write(ref done, 1);
        }, TaskCreationOptions.LongRunning);

        try
        {
            await writer.WaitAsync(TimeSpan.FromMinutes(1));
        }
        finally
        {
            Volatile.Write(ref done, 1);
            await Task.WhenAll(readers);
        }

        Assert.True(Interlocked.Read(ref checks) > 0);
        Assert.Equal(0, Interlocked.Read(ref misses));
        Assert.Equal(stable.Length + 1_000, set.Count);
    }
}
