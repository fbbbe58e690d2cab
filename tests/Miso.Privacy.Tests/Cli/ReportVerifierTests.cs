using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Miso.Privacy.Audit;
using Miso.Privacy.Cli.Reports;
using Miso.Privacy.Reports;
using Miso.Privacy.Signing;

namespace Miso.Privacy.Tests.Cli;

/// <summary>
/// The client's verifier against manifests the service's own code signs: it accepts exactly those, and names what is
/// wrong with anything else.
/// </summary>
public sealed class ReportVerifierTests
{
    static readonly SigningKey Key = NewKey();
    static readonly byte[] Content = Encoding.UTF8.GetBytes("request_id,status\n0193,completed\n");

    static SigningKey NewKey()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return SigningKey.FromPem(null, ecdsa.ExportPkcs8PrivateKeyPem(), isPrivate: true).Key!;
    }

    static string Manifest(byte[] content) => new ReportManifest(Guid.NewGuid(), "erasures", "csv", null, DateTimeOffset.UtcNow,
        DateTimeOffset.UtcNow, "auditor", 1, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)), new ChainHead(42, new string('c', 64)))
        .ToSignedText(Key);

    static string Jwks(params SigningKey[] keys) => JsonSerializer.Serialize(new
    {
        keys = keys.Select(k => new { kid = k.Kid, kty = "EC", crv = "P-256", x = k.X, y = k.Y, alg = "ES256", use = "sig" }),
    });

    static Verdict Verify(byte[] content, string manifest, string jwks) =>
        ReportVerifier.Verify(new MemoryStream(content), Encoding.UTF8.GetBytes(manifest), KeySet.Parse(jwks).Keys!);

    [Fact]
    public void AManifestTheServiceSigned_Verifies()
    {
        var verdict = Verify(Content, Manifest(Content), Jwks(NewKey(), Key));
        Assert.True(verdict.Valid, string.Join("; ", verdict.Problems));
        Assert.Equal("42", verdict.Manifest!["chain_head_seq"]);
    }

    [Fact]
    public void EachChange_IsNamed()
    {
        var manifest = Manifest(Content);
        var jwks = Jwks(Key);
        var altered = (byte[])Content.Clone();
        altered[3] ^= 0x20;

        Assert.Equal(["the report does not match content_sha256: its bytes were changed, or it is another report"], Verify(altered, manifest, jwks).Problems);
        Assert.Contains($"the report has {Content.Length + 1} bytes; content_bytes says {Content.Length}", Verify([.. Content, 0x0a], manifest, jwks).Problems);
        Assert.Equal([$"the manifest's signature does not verify with key '{Key.Kid}': the manifest was changed or signed by another key"],
            Verify(Content, manifest.Replace("generated_by=auditor", "generated_by=auditer"), jwks).Problems);
        Assert.Contains("the chain head's signature does not verify: chain_head_seq, chain_head_hash or chain_head_at was changed",
            Verify(Content, manifest.Replace("chain_head_seq=42", "chain_head_seq=41"), jwks).Problems);
        Assert.StartsWith($"no key in the key set has the manifest's kid '{Key.Kid}'", Verify(Content, manifest, Jwks(NewKey())).Problems.Single());
        Assert.Contains("signature_algorithm is 'HS256', not ES256", Verify(Content, manifest.Replace("=ES256", "=HS256"), jwks).Problems);
    }

    [Fact]
    public void WhatIsNotAManifest_IsInvalid_WithTheReason()
    {
        var manifest = Manifest(Content);
        var jwks = Jwks(Key);
        Assert.Equal(["the manifest does not end with a line break, so it was cut short or changed"], Verify(Content, manifest.TrimEnd('\n'), jwks).Problems);
        Assert.Equal(["the manifest names rows twice"], Verify(Content, "rows=2\n" + manifest, jwks).Problems);
        Assert.Equal(["the manifest's last line is not its signature"], Verify(Content, manifest + "extra=1\n", jwks).Problems);
        Assert.Equal(["the manifest has a line that is not key=value: 'hello'"], Verify(Content, "hello\n" + manifest, jwks).Problems);
        Assert.False(Verify(Content, "", jwks).Valid);
    }

    [Fact]
    public void AKeySet_MustBeAJwks_WithValidPoints()
    {
        Assert.Equal("the key set is not JSON", KeySet.Parse("-----BEGIN PUBLIC KEY-----").Problem);
        Assert.StartsWith("the key set has no \"keys\" array", KeySet.Parse("""{"kid": "a"}""").Problem);
        var offCurve = Jwks(Key).Replace(Key.Y, Convert.ToBase64String(new byte[32]).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        Assert.Equal($"the key set's key '{Key.Kid}' is not a point on P-256", KeySet.Parse(offCurve).Problem);
        Assert.Empty(KeySet.Parse("""{"keys": [{"kid": "r", "kty": "RSA", "n": "AQAB", "e": "AQAB"}]}""").Keys!.Kids);
    }
}
