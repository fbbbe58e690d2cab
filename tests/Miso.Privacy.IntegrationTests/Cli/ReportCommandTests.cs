using Miso.Privacy.IntegrationTests.Dashboard;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Cli;

/// <summary>
/// <c>report</c> writes an export and its manifest; <c>verify-report</c> checks them offline (no URL, no key) with the
/// published keys from a file or a URL: 0 when valid, 1 for one changed byte of either file or for another key.
/// </summary>
public sealed class ReportCommandTests(KestrelPrivacyApp app) : IClassFixture<KestrelPrivacyApp>
{
    async Task<string> JwksFileAsync(string folder)
    {
        var file = Path.Combine(folder, "signing-keys.json");
        await File.WriteAllTextAsync(file, await app.CreateClient().GetStringAsync("/api/v1/reports/signing-keys"));
        return file;
    }

    async Task SeedAsync(string ticket)
    {
        var run = await app.CliAsync(TestKeys.Writer, "erase", $"cli-report-{Guid.NewGuid():N}", $"cli-report-{Guid.NewGuid():N}", "--ticket", ticket);
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task ReportErasures_WritesTheFileAndItsManifest_WhichVerifyOffline_AndOneChangedByteFails()
    {
        await SeedAsync("ZD-REPORT");
        var folder = CliHost.TempFolder();
        var report = Path.Combine(folder, "erasures.csv");

        var export = await app.CliAsync(TestKeys.Reports, "report", "erasures", "--from", "2020-01-01", "-o", report);

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains($"Wrote {report} (", export.Out);
        Assert.Contains("ZD-REPORT", await File.ReadAllTextAsync(report));
        var manifest = await File.ReadAllTextAsync(report + ".manifest");
        Assert.Contains("report=erasures\nformat=csv\n", manifest);
        Assert.False(File.Exists(report + ".partial"));
        var head = manifest.Split('\n').Single(l => l.StartsWith("chain_head_seq=")).Split('=')[1] + ":"
            + manifest.Split('\n').Single(l => l.StartsWith("chain_head_hash=")).Split('=')[1];
        Assert.Contains($"Chain head at export: {head}.", export.Out);
        var keys = await JwksFileAsync(folder);

        var valid = await CliRun.OfflineAsync("verify-report", report, "--keys", keys);
        Assert.True(valid.ExitCode == 0, valid.ToString());
        Assert.StartsWith("OK: erasures report ", valid.Out);
        Assert.Contains($"chain head {head}.", valid.Out);
        Assert.Equal("", valid.Error);

        var bytes = await File.ReadAllBytesAsync(report);
        bytes[bytes.Length / 2] ^= 0x01;
        var altered = Path.Combine(folder, "altered.csv");
        await File.WriteAllBytesAsync(altered, bytes);
        var changedReport = await CliRun.OfflineAsync("verify-report", altered, "--manifest", report + ".manifest", "--keys", keys);
        Assert.True(changedReport.ExitCode == 1, changedReport.ToString());
        Assert.Contains("FAIL: the report does not match content_sha256", changedReport.Error);
        Assert.Equal("", changedReport.Out);

        var rows = manifest.Split('\n').Single(l => l.StartsWith("rows="));
        var forged = Path.Combine(folder, "forged.manifest");
        await File.WriteAllTextAsync(forged, manifest.Replace(rows + "\n", rows + "0\n"));
        var changedManifest = await CliRun.OfflineAsync("verify-report", report, "--manifest", forged, "--keys", keys);
        Assert.True(changedManifest.ExitCode == 1, changedManifest.ToString());
        Assert.Contains("FAIL: the manifest's signature does not verify", changedManifest.Error);

        var otherHead = Path.Combine(folder, "other-head.manifest");
        await File.WriteAllTextAsync(otherHead, manifest.Replace($"chain_head_seq={head.Split(':')[0]}\n", $"chain_head_seq={long.Parse(head.Split(':')[0]) + 1}\n"));
        var changedHead = await CliRun.OfflineAsync("verify-report", report, "--manifest", otherHead, "--keys", keys);
        Assert.True(changedHead.ExitCode == 1, changedHead.ToString());
        Assert.Contains("FAIL: the chain head's signature does not verify", changedHead.Error);
    }

    [Fact]
    public async Task VerifyReport_TakesTheKeysFromAUrl_AndFailsWithAKeySetThatLacksTheSigningKey()
    {
        await SeedAsync("ZD-KEYS");
        var folder = CliHost.TempFolder();
        var report = Path.Combine(folder, "subjects.json");
        var export = await app.CliAsync(TestKeys.Reports, "report", "subjects", "-o", report);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("format=json\n", await File.ReadAllTextAsync(report + ".manifest"));

        var fromUrl = await CliRun.OfflineAsync("verify-report", report, "--keys", new Uri(app.BaseAddress, "/api/v1/reports/signing-keys").ToString());
        Assert.True(fromUrl.ExitCode == 0, fromUrl.ToString());

        var rotatedOnly = Path.Combine(folder, "rotated-only.json");
        var jwks = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(await JwksFileAsync(folder)))!;
        var keys = jwks["keys"]!.AsArray();
        keys.RemoveAt(keys.Count - 1);
        await File.WriteAllTextAsync(rotatedOnly, jwks.ToJsonString());
        var otherKey = await CliRun.OfflineAsync("verify-report", report, "--keys", rotatedOnly, "--json");
        Assert.True(otherKey.ExitCode == 1, otherKey.ToString());
        Assert.Contains($"no key in the key set has the manifest's kid", otherKey.Error);
        Assert.Contains("\"valid\": false", otherKey.Out);

        var missing = await CliRun.OfflineAsync("verify-report", Path.Combine(folder, "nothing.csv"), "--keys", rotatedOnly);
        Assert.True(missing.ExitCode == 2, missing.ToString());
        var notJwks = Path.Combine(folder, "not-jwks.json");
        await File.WriteAllTextAsync(notJwks, """{"kid": "x"}""");
        Assert.Equal(1, (await CliRun.OfflineAsync("verify-report", report, "--keys", notJwks)).ExitCode);
        Assert.Equal(2, (await CliRun.OfflineAsync("verify-report", report)).ExitCode);
    }

    [Fact]
    public async Task ReportAudit_ForOneRequest_Verifies_AndItsChainHeadHoldsInAuditVerify()
    {
        var ticket = $"ZD-{Guid.NewGuid():N}";
        var filed = await app.CliAsync(TestKeys.Writer, "erase", $"cli-audit-{Guid.NewGuid():N}", "--ticket", ticket, "--json");
        var id = System.Text.Json.JsonDocument.Parse(filed.Out).RootElement.GetProperty("requests")[0].Str("id");
        var folder = CliHost.TempFolder();
        var report = Path.Combine(folder, "events.jsonl");

        var export = await app.CliAsync(TestKeys.Reports, "report", "audit", "--request-id", id, "-o", report, "--json");

        Assert.True(export.ExitCode == 0, export.ToString());
        var saved = System.Text.Json.JsonDocument.Parse(export.Out).RootElement;
        Assert.Equal(1, saved.GetProperty("rows").GetInt64());
        Assert.Contains("\"action\":\"request.created\"", await File.ReadAllTextAsync(report));
        Assert.Equal(0, (await CliRun.OfflineAsync("verify-report", report, "--keys", await JwksFileAsync(folder))).ExitCode);

        var holds = await app.CliAsync(TestKeys.Reports, "audit", "verify", "--checkpoint", saved.Str("chain_head"));
        Assert.True(holds.ExitCode == 0, holds.ToString());
        Assert.Contains($"Checkpoint {saved.Str("chain_head")}: holds.", holds.Out);
    }

    [Fact]
    public async Task Report_RefusesBadArguments_WithExit2_AndAKeyWithoutReportsRead_WithExit3()
    {
        var folder = CliHost.TempFolder();
        foreach (var args in new[]
        {
            new[] { "report", "erasures", "-o", Path.Combine(folder, "no", "such", "folder.csv") },
            ["report", "erasures"],
            ["report", "erasures", "-o", Path.Combine(folder, "x.csv"), "--from", "last month"],
            ["report", "erasures", "-o", Path.Combine(folder, "x.csv"), "--format", "xlsx"],
            ["report", "subjects", "-o", Path.Combine(folder, "x.csv"), "--request-id", Guid.NewGuid().ToString()],
            ["report", "audit", "-o", Path.Combine(folder, "x.csv"), "--request-id", "ZD-1"],
            ["report", "metrics", "-o", Path.Combine(folder, "x.csv")],
        })
        {
            var run = await app.CliAsync(TestKeys.Reports, args);
            Assert.True(run.ExitCode == 2, $"{string.Join(' ', args)}: {run}");
        }
        var refused = await app.CliAsync(TestKeys.Writer, "report", "erasures", "-o", Path.Combine(folder, "x.csv"));
        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Empty(Directory.GetFiles(folder));
    }
}
