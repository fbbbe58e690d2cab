using System.Buffers;
using BenchmarkDotNet.Attributes;
using Miso.Privacy.Forwarding;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Benchmarks;

[MemoryDiagnoser]
public class FilterBenchmarks
{
    static readonly SubjectPredicate Nobody = (_, _) => false;

    byte[] _body = [];
    SubjectPredicate _lookupKey = Nobody;
    SubjectPredicate _hmac = Nobody;
    SubjectPredicate _environment = Nobody;
    SubjectPredicate _environmentWithLegacy = Nobody;
    ArrayBufferWriter<byte> _output = new();

    [Params(100, 10_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = BenchData.Body(Records);
        _lookupKey = BenchData.LookupKeyPredicate(BenchData.Set, BenchData.Hasher);
        _hmac = BenchData.HmacPredicate(BenchData.Set);
        _environment = BenchData.Sets(legacyKey: false).For("production");
        _environmentWithLegacy = BenchData.Sets(legacyKey: true).For("production");
        _output = new ArrayBufferWriter<byte>(_body.Length);
        foreach (var predicate in new[] { _lookupKey, _hmac, _environment, _environmentWithLegacy })
        {
            var check = UploadFilter.Filter(_body, predicate);
            if (check.Error is not null || check.Dropped != Records / 10)
                throw new InvalidOperationException($"Expected {Records / 10} of {Records} dropped, got {check.Dropped} ({check.Error}).");
        }
    }

    /// <summary>The parse alone: nobody suppressed, no hashing.</summary>
    [Benchmark(Baseline = true)]
    public int ParseOnly() => FilterAndForward(Nobody);

    /// <summary>Production's work: SipHash every id, look it up in a 1M-key set, cut the 10% that hit.</summary>
    [Benchmark]
    public int LookupKeyAndLookup() => FilterAndForward(_lookupKey);

    /// <summary>Production's work since suppressions are kept per environment: the upload's environment's predicate.</summary>
    [Benchmark]
    public int PerEnvironmentLookup() => FilterAndForward(_environment);

    /// <summary>The same while rows from before environments remain: a miss in the environment's set is asked again.</summary>
    [Benchmark]
    public int PerEnvironmentLookupWithLegacyRows() => FilterAndForward(_environmentWithLegacy);

    /// <summary>The same with HMAC-SHA256 per id, as before lookup keys: what they saved.</summary>
    [Benchmark]
    public int HmacAndLookup() => FilterAndForward(_hmac);

    int FilterAndForward(SubjectPredicate predicate)
    {
        var result = UploadFilter.Filter(_body, predicate);
        _output.ResetWrittenCount();
        result.WriteForwardBody(_output);
        return _output.WrittenCount;
    }
}
