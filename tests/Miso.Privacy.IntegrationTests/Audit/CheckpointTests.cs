using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.IntegrationTests.Reports;
using Miso.Privacy.IntegrationTests.Signing;

namespace Miso.Privacy.IntegrationTests.Audit;

/// <summary>Signed checkpoints of the chain head, checked with openssl as the README shows, and given back to verify.</summary>
public sealed class CheckpointTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    [Fact]
    public async Task Checkpoint_SignsTheChainHead_AndTheReadmeRecipeVerifiesIt_ButNotAfterOneChangedByte()
    {
        await Requests.CreateAsync(app, 3, "checkpoint");
        var reports = app.ClientFor(TestKeys.Reports);
        var head = (await (await reports.GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK)).GetProperty("head");
        var response = await reports.GetAsync("/api/v1/audit/checkpoint");
        var body = await response.Content.ReadAsStringAsync();
        var checkpoint = await response.JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["seq", "hash", "at", "kid", "signature"], checkpoint.EnumerateObject().Select(p => p.Name));
        Assert.Equal(head.GetProperty("seq").GetInt64(), checkpoint.GetProperty("seq").GetInt64());
        Assert.Equal(head.Str("hash"), checkpoint.Str("hash"));
        Assert.Equal(SigningKeyTests.SigningKid, checkpoint.Str("kid"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", checkpoint.Str("at"));
        Assert.DoesNotContain("\\u", body); // base64's '+' and '/' come out as themselves, for sed
        var signed = $"miso-privacy-checkpoint\nseq={checkpoint.GetProperty("seq").GetInt64()}\nhash={checkpoint.Str("hash")}\nat={checkpoint.Str("at")}\nkid={checkpoint.Str("kid")}\n";
        using (var key = ECDsa.Create())
        {
            key.ImportFromPem(TestKeys.SigningKeyPem);
            Assert.True(key.VerifyData(Encoding.UTF8.GetBytes(signed), Convert.FromBase64String(checkpoint.Str("signature")),
                HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }

        var pem = await (await app.ClientFor(null).GetAsync($"/api/v1/reports/signing-keys/{checkpoint.Str("kid")}.pem")).Content.ReadAsStringAsync();
        var (code, output) = await VerifyAsync(body, pem);
        Assert.True(code == 0, output);
        Assert.StartsWith($"OK: checkpoint {checkpoint.GetProperty("seq").GetInt64()}:{checkpoint.Str("hash")}", output);

        var hash = checkpoint.Str("hash");
        var changed = new[]
        {
            body.Replace(hash, (hash[0] == '0' ? '1' : '0') + hash[1..]),
            body.Replace($"\"seq\":{checkpoint.GetProperty("seq").GetInt64()}", $"\"seq\":{checkpoint.GetProperty("seq").GetInt64() + 1}"),
            body.Replace(checkpoint.Str("at"), checkpoint.Str("at")[..^2] + (checkpoint.Str("at")[^2] == '1' ? '2' : '1') + "Z"),
        };
        foreach (var forged in changed)
        {
            Assert.NotEqual(body, forged);
            var (forgedCode, forgedOutput) = await VerifyAsync(forged, pem);
            Assert.NotEqual(0, forgedCode);
            Assert.Contains("does not verify", forgedOutput);
        }
        var (otherCode, otherOutput) = await VerifyAsync(body, TestKeys.RotatedPublicKeyPem);
        Assert.NotEqual(0, otherCode);
        Assert.Contains("does not verify", otherOutput);
    }

    [Fact]
    public async Task AKeptCheckpoint_Holds_WhileTheChainOnlyGrows()
    {
        await Requests.CreateAsync(app, 2, "grows-before");
        var reports = app.ClientFor(TestKeys.Reports);
        var kept = await (await reports.GetAsync("/api/v1/audit/checkpoint")).JsonAsync(HttpStatusCode.OK);
        await Requests.CreateAsync(app, 2, "grows-after");

        foreach (var hash in new[] { kept.Str("hash"), kept.Str("hash").ToUpperInvariant() })
        {
            var verify = await (await reports.GetAsync($"/api/v1/audit/verify?checkpoint={kept.GetProperty("seq").GetInt64()}:{hash}")).JsonAsync(HttpStatusCode.OK);
            Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
            var finding = verify.GetProperty("checkpoint");
            Assert.Equal("holds", finding.Str("status"));
            Assert.Equal(kept.Str("hash"), finding.Str("hash_on_chain"));
            Assert.True(verify.GetProperty("head").GetProperty("seq").GetInt64() > kept.GetProperty("seq").GetInt64());
        }
        var plain = await (await reports.GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("checkpoint").ValueKind);
    }

    [Theory]
    [InlineData("checkpoint=", "checkpoint")]
    [InlineData("checkpoint=12", "checkpoint")]
    [InlineData("checkpoint=12:", "checkpoint")]
    [InlineData("checkpoint=x:0000000000000000000000000000000000000000000000000000000000000000", "checkpoint")]
    [InlineData("checkpoint=-1:0000000000000000000000000000000000000000000000000000000000000000", "checkpoint")]
    [InlineData("checkpoint=%2012:0000000000000000000000000000000000000000000000000000000000000000", "checkpoint")]
    [InlineData("checkpoint=99999999999999999999:0000000000000000000000000000000000000000000000000000000000000000", "checkpoint")]
    [InlineData("checkpoint=12:000000000000000000000000000000000000000000000000000000000000000", "checkpoint")]
    [InlineData("checkpoint=12:00000000000000000000000000000000000000000000000000000000000000000", "checkpoint")]
    [InlineData("checkpoint=12:g000000000000000000000000000000000000000000000000000000000000000", "checkpoint")]
    [InlineData("checkpoint=0:1000000000000000000000000000000000000000000000000000000000000000", "checkpoint")]
    [InlineData("checkpoint=1:0000000000000000000000000000000000000000000000000000000000000000&checkpoint=2:0000000000000000000000000000000000000000000000000000000000000000", "checkpoint")]
    [InlineData("since=12", "since")]
    public async Task Verify_RejectsAMalformedCheckpoint_WithA400NamingIt(string query, string field) =>
        await (await app.ClientFor(TestKeys.Reports).GetAsync($"/api/v1/audit/verify?{query}")).ProblemAsync(HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task TheEmptyChainsCheckpoint_IsSeqZeroWithTheGenesisHash_AndHoldsOnAnyChain()
    {
        await using var empty = new PrivacyApp();
        await empty.InitializeAsync();
        var reports = empty.ClientFor(TestKeys.Reports);
        var checkpoint = await (await reports.GetAsync("/api/v1/audit/checkpoint")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal((0L, new string('0', 64)), (checkpoint.GetProperty("seq").GetInt64(), checkpoint.Str("hash")));
        await Requests.CreateAsync(empty, 1, "genesis");
        var verify = await (await reports.GetAsync($"/api/v1/audit/verify?checkpoint=0:{new string('0', 64)}")).JsonAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
        Assert.Equal("holds", verify.GetProperty("checkpoint").Str("status"));
    }

    static Task<(int ExitCode, string Output)> VerifyAsync(string checkpointJson, string publicKeyPem) =>
        ReadmeRecipe.RunAsync("verify-checkpoint", publicKeyPem, new() { ["CHECKPOINT"] = Encoding.UTF8.GetBytes(checkpointJson) });
}

public static class Requests
{
    public static async Task CreateAsync(PrivacyApp app, int count, string prefix)
    {
        var client = app.ClientFor(TestKeys.All);
        for (var i = 0; i < count; i++)
            Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/api/v1/erasure-requests",
                $$"""{"user_ids": ["{{prefix}}-{{i}}-{{Guid.NewGuid():N}}"], "requested_by": "t"}""")).StatusCode);
    }
}
