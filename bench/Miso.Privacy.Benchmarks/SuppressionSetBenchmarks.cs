using BenchmarkDotNet.Attributes;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Benchmarks;

[MemoryDiagnoser]
public class SuppressionSetBenchmarks
{
    const int Probes = 1024;

    readonly ulong[] _hits = new ulong[Probes];
    readonly ulong[] _misses = new ulong[Probes];
    SuppressionSet _set = new();

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        var keys = new ulong[BenchData.SuppressedKeys];
        for (var i = 0; i < keys.Length; i++) keys[i] = (ulong)random.NextInt64() | 1;
        _set = new SuppressionSet();
        _set.ReplaceAll(keys);
        for (var i = 0; i < Probes; i++)
        {
            _hits[i] = keys[random.Next(keys.Length)];
            _misses[i] = (ulong)random.NextInt64() & ~1UL; // even, so never one of the odd keys above
        }
    }

    [Benchmark(OperationsPerInvoke = Probes)]
    public int ContainsHit() => Count(_hits);

    [Benchmark(OperationsPerInvoke = Probes)]
    public int ContainsMiss() => Count(_misses);

    int Count(ulong[] probes)
    {
        var found = 0;
        foreach (var key in probes)
        {
            if (_set.Contains(key)) found++;
        }
        return found;
    }
}
