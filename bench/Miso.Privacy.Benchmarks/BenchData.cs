using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Benchmarks;

/// <summary>Deterministic uploads shaped like the Miso SDK's example, and a suppression set around them.</summary>
static class BenchData
{
    public const int SuppressedKeys = 1_000_000;

    static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public static readonly SubjectHasher Hasher = new(Options.Create(new SubjectHashingOptions { SubjectHashKey = Convert.ToBase64String(Key) }));

    static readonly ConcurrentDictionary<int, byte[]> Bodies = new();
    static readonly Lazy<List<ulong>> LazyKeys = new(BuildKeys);
    static readonly Lazy<SuppressionSet> LazySet = new(() =>
    {
        var set = new SuppressionSet();
        set.ReplaceAll(LazyKeys.Value);
        return set;
    });

    public static SuppressionSet Set => LazySet.Value;

    /// <summary>
    /// The same keys as production's sets hold them: all in one environment's set, next to another environment's.
    /// With <paramref name="legacyKey"/>, the every-environment set holds one key (rows from before environments were
    /// recorded), so every id that misses its environment's set is looked up a second time.
    /// </summary>
    public static SuppressionSets Sets(bool legacyKey)
    {
        var loaded = new LoadedKeys();
        foreach (var key in LazyKeys.Value) loaded.Add(new SuppressedKey(key, "production"));
        loaded.Add(new SuppressedKey(1, "development"));
        if (legacyKey) loaded.Add(new SuppressedKey(3, null));
        var sets = new SuppressionSets(["production", "development"], Hasher);
        sets.ReplaceAll(loaded);
        return sets;
    }

    public static byte[] Body(int records) => Bodies.GetOrAdd(records, Build);

    /// <summary>Every tenth record's user is suppressed.</summary>
    static bool IsSuppressedRecord(int index) => index % 10 == 3;

    static string UserId(int index) => $"u{index * 7919 % 10_000_019:x7}";

    static string AnonymousId(int index) => $"{(ulong)index * 0x9E3779B97F4A7C15UL:X16}AD8BF84217E1567B6CBE7152";

    static byte[] Build(int records)
    {
        var builder = new StringBuilder("{\"data\": [");
        for (var i = 0; i < records; i++)
        {
            if (i > 0) builder.Append(',');
            // Two short searches to one long page view, roughly a storefront's mix.
            builder.Append(i % 3 == 2
                ? $$$$"""{"type":"product_detail_page_view","duration":{{{{i % 90}}}}.5,"product_ids":["{{{{i:X6}}}}-BLACK"],"product_group_ids":["{{{{i:X6}}}}"],"user_id":"{{{{UserId(i)}}}}","anonymous_id":"{{{{AnonymousId(i)}}}}","timestamp":"2023-01-24T14:15:22Z","miso_id":"123e4567-e89b-12d3-a456-{{{{i:D12}}}}","context":{"campaign":{"name":"spring_sale","source":"Google","medium":"cpc","term":"running+shoes","content":"textlink"},"truncated_ip":"1.1.1.0","locale":"en-US","region":"US East","page":{"url":"https://example.com/miso-tshirt-{{{{i:X6}}}}","referrer":"https://example.com/","title":"My Product Page"},"user_agent":"Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:47.0) Gecko/20100101 Firefox/47.0","custom_context":{"session_variable_1":["value_1","value_2"]}}}"""
                : $$$$"""{"user_id":"{{{{UserId(i)}}}}","type":"search","search":{"keywords":"chips {{{{i % 1000}}}}"},"timestamp":"2023-01-24T14:15:21Z"}""");
        }
        builder.Append("]}");
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    static List<ulong> BuildKeys()
    {
        var random = new Random(42);
        var keys = new List<ulong>(SuppressedKeys);
        var hash = new byte[32];
        for (var i = 0; i < 10_000; i++)
        {
            if (!IsSuppressedRecord(i)) continue;
            Hmac(SubjectKind.UserId, Encoding.UTF8.GetBytes(UserId(i)), hash);
            keys.Add(BinaryPrimitives.ReadUInt64LittleEndian(hash));
            keys.Add(Hasher.LookupKey(SubjectKind.UserId, UserId(i)));
        }
        while (keys.Count < SuppressedKeys) keys.Add((ulong)random.NextInt64() | 1);
        return keys;
    }

    /// <summary>What production does: the id's SipHash lookup key, looked up.</summary>
    public static SubjectPredicate LookupKeyPredicate(SuppressionSet set, SubjectHasher hasher) => (kind, value) =>
        set.Contains(hasher.LookupKey(kind, value));

    /// <summary>
    /// What production did before lookup keys: HMAC-SHA256 of the id (a keyed instance per thread, the fastest way
    /// .NET offers), then its first 8 bytes looked up. Kept here only as the baseline lookup keys are measured against.
    /// </summary>
    public static SubjectPredicate HmacPredicate(SuppressionSet set) => (kind, value) =>
    {
        Span<byte> hash = stackalloc byte[32];
        Hmac(kind, value, hash);
        return set.Contains(BinaryPrimitives.ReadUInt64LittleEndian(hash));
    };

    static readonly ThreadLocal<HMACSHA256> HmacPerThread = new(() => new HMACSHA256(Key));

    static void Hmac(SubjectKind kind, ReadOnlySpan<byte> utf8Value, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[2 + utf8Value.Length];
        (kind == SubjectKind.UserId ? "u:"u8 : "a:"u8).CopyTo(input);
        utf8Value.CopyTo(input[2..]);
        HmacPerThread.Value!.TryComputeHash(input, destination, out _);
    }
}
