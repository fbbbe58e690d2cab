using System.Security.Cryptography;
using System.Text;
using Miso.Privacy.Audit;

namespace Miso.Privacy.Tests.Audit;

/// <summary>The hash an auditor recomputes: SHA-256 over prev_hash and a canonical JSON array of the event's fields.</summary>
public sealed class AuditHashingTests
{
    static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Compute_IsSha256OfPrevHashAndTheCanonicalArray()
    {
        var requestId = Guid.Parse("0194a3c2-0000-7000-8000-000000000001");
        var subject = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var expected = SHA256.HashData([.. AuditHashing.Genesis, .. Encoding.UTF8.GetBytes(
            $$"""[7,"2026-01-02T03:04:05.000000Z","support","request.created","{{requestId:D}}","{{Convert.ToHexStringLower(subject)}}",{"a":1,"b":[2,{"c":3,"d":4}]}]""")]);

        var hash = AuditHashing.Compute(AuditHashing.Genesis, 7, At, "support", "request.created", requestId, subject,
            """{ "b": [2, {"d": 4, "c": 3}], "a": 1 }""");

        Assert.Equal(expected, hash);
    }

    [Fact]
    public void Compute_IgnoresKeyOrderAndWhitespace_AsJsonbReordersThem()
    {
        var written = AuditHashing.Compute(AuditHashing.Genesis, 1, At, "a", "x", null, null, """{"z": 1, "a": {"y": 2, "b": 3}}""");
        var readBack = AuditHashing.Compute(AuditHashing.Genesis, 1, At, "a", "x", null, null, """{"a":{"b":3,"y":2},"z":1}""");
        Assert.Equal(written, readBack);
    }

    [Fact]
    public void Compute_ChangesWithEveryField()
    {
        byte[] Hash(byte[]? prev = null, long seq = 1, DateTimeOffset? at = null, string actor = "a", string action = "x",
            Guid? request = null, byte[]? subject = null, string details = "{}") =>
            AuditHashing.Compute(prev ?? AuditHashing.Genesis, seq, at ?? At, actor, action, request, subject, details);

        var hashes = new[]
        {
            Hash(), Hash(prev: new byte[32].Select(_ => (byte)1).ToArray()), Hash(seq: 2), Hash(at: At.AddTicks(10)),
            Hash(actor: "b"), Hash(action: "y"), Hash(request: Guid.Empty), Hash(subject: new byte[32]), Hash(details: """{"k":1}"""),
        };
        Assert.Equal(hashes.Length, hashes.Select(Convert.ToHexString).Distinct().Count());
    }

    [Fact]
    public void ToStoredPrecision_CutsToTheMicrosecond_AsPostgreSqlKeepsIt()
    {
        var precise = At.AddTicks(12_345_678);
        var stored = AuditHashing.ToStoredPrecision(precise);
        Assert.Equal(0, stored.UtcTicks % 10);
        Assert.Equal(precise.UtcTicks - 8, stored.UtcTicks);
        Assert.Equal(AuditHashing.Compute(AuditHashing.Genesis, 1, stored, "a", "x", null, null, "{}"),
            AuditHashing.Compute(AuditHashing.Genesis, 1, precise, "a", "x", null, null, "{}"));
    }
}
