using System.Buffers;
using BenchmarkDotNet.Attributes;
using Miso.Privacy.Forwarding;

namespace Miso.Privacy.Benchmarks;

[MemoryDiagnoser]
public class FilterBenchmarks
{
    static readonly SubjectPredicate Nobody = (_, _) => false;

    byte[] _body = [];
    SubjectPredicate _hashing = Nobody;
    ArrayBufferWriter<byte> _output = new();

    [Params(100, 10_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = BenchData.Body(Records);
        _hashing = BenchData.HashingPredicate(BenchData.Set, BenchData.Hasher);
        _output = new ArrayBufferWriter<byte>(_body.Length);
        var check = UploadFilter.Filter(_body, _hashing);
        if (check.Error is not null || check.Dropped != Records / 10)
            throw new InvalidOperationException($"Expected {Records / 10} of {Records} dropped, got {check.Dropped} ({check.Error}).");
    }

    /// <summary>The parse alone: nobody suppressed, no hashing.</summary>
    [Benchmark(Baseline = true)]
    public int ParseOnly() => FilterAndForward(Nobody);

    /// <summary>Production's work: HMAC every id, look it up in a 1M-key set, cut the 10% that hit.</summary>
    [Benchmark]
    public int HmacAndLookup() => FilterAndForward(_hashing);

    int FilterAndForward(SubjectPredicate predicate)
    {
        var result = UploadFilter.Filter(_body, predicate);
        _output.ResetWrittenCount();
        result.WriteForwardBody(_output);
        return _output.WrittenCount;
    }
}
