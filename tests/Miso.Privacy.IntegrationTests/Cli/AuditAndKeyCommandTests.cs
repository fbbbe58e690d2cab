using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.IntegrationTests.Dashboard;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Cli;

/// <summary><c>audit verify|checkpoint</c> and <c>keys create|list|revoke</c> against the service on real PostgreSQL.</summary>
public sealed class AuditAndKeyCommandTests(KestrelPrivacyApp app) : IClassFixture<KestrelPrivacyApp>
{
    [Fact]
    public async Task AuditVerify_SaysIntact_AKeptCheckpointHolds_AndAForgedOneIsExit1()
    {
        Assert.Equal(0, (await app.CliAsync(TestKeys.Writer, "erase", $"cli-audit-{Guid.NewGuid():N}")).ExitCode);
        var folder = CliHost.TempFolder();

        var checkpoint = await app.CliAsync(TestKeys.Reports, "audit", "checkpoint", "-o", Path.Combine(folder, "checkpoint.json"));
        Assert.True(checkpoint.ExitCode == 0, checkpoint.ToString());
        var kept = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "checkpoint.json"))).RootElement;
        var seqHash = $"{kept.GetProperty("seq").GetInt64()}:{kept.Str("hash")}";
        Assert.StartsWith(seqHash + " at ", checkpoint.Out);

        var intact = await app.CliAsync(TestKeys.Reports, "audit", "verify");
        Assert.True(intact.ExitCode == 0, intact.ToString());
        Assert.StartsWith("Intact: ", intact.Out);

        var holds = await app.CliAsync(TestKeys.Reports, "audit", "verify", "--checkpoint", seqHash);
        Assert.True(holds.ExitCode == 0, holds.ToString());
        Assert.Contains($"Checkpoint {seqHash}: holds.", holds.Out);

        var forged = $"{kept.GetProperty("seq").GetInt64()}:{new string('a', 64)}";
        var rewritten = await app.CliAsync(TestKeys.Reports, "audit", "verify", "--checkpoint", forged);
        Assert.True(rewritten.ExitCode == 1, rewritten.ToString());
        Assert.Contains($"Checkpoint {forged}: rewritten; the event at that seq has hash {kept.Str("hash")}.", rewritten.Error);

        var json = await app.CliAsync(TestKeys.Reports, "audit", "verify", "--checkpoint", forged, "--json");
        Assert.Equal(1, json.ExitCode);
        Assert.False(JsonDocument.Parse(json.Out).RootElement.GetProperty("intact").GetBoolean());

        Assert.Equal(2, (await app.CliAsync(TestKeys.Reports, "audit", "verify", "--checkpoint", "12")).ExitCode);
        Assert.Equal(3, (await app.CliAsync(TestKeys.Reader, "audit", "verify")).ExitCode);
    }

    [Fact]
    public async Task Keys_CreatePrintsTheKeyAloneOnStdout_ItWorks_ListShowsItWithoutIt_AndRevokeStopsIt()
    {
        var name = $"cli-dashboard-{Guid.NewGuid():N}"[..30];

        var created = await app.CliAsync(TestKeys.All, "keys", "create", name, "--scope", "erasure:read", "--expires-at",
            DateTimeOffset.UtcNow.AddDays(1).ToString("O"));

        Assert.True(created.ExitCode == 0, created.ToString());
        var key = created.Out.TrimEnd('\n');
        Assert.Matches("^mpk_[A-Za-z0-9_-]{43}$", key);
        Assert.Contains($"Created key {name}", created.Error);
        Assert.Contains("only time it is shown", created.Error);
        var newKey = new TestKey(name, key, ["erasure:read"]);
        Assert.Equal(0, (await app.CliAsync(newKey, "list", "--limit", "1")).ExitCode);

        var listed = await app.CliAsync(TestKeys.Admin, "keys", "list");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        var row = listed.Out.Split('\n').Single(l => l.Contains(name));
        Assert.Contains(key[..12], row);
        Assert.DoesNotContain(key, listed.Out);
        var item = JsonDocument.Parse((await app.CliAsync(TestKeys.Admin, "keys", "list", "--json")).Out).RootElement
            .GetProperty("data").EnumerateArray().Single(k => k.Str("name") == name);

        var revoked = await app.CliAsync(TestKeys.Admin, "keys", "revoke", item.Str("id"));
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Equal($"Revoked {item.Str("id")}.\n", revoked.Out);
        await using (var db = app.NewDb())
            Assert.NotNull((await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Name == name)).RevokedAt);
        var refused = await app.CliAsync(newKey, "list", "--limit", "1");
        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains("401", refused.Error);

        Assert.Equal(1, (await app.CliAsync(TestKeys.Admin, "keys", "revoke", Guid.NewGuid().ToString())).ExitCode);
        var badName = await app.CliAsync(TestKeys.All, "keys", "create", "Not A Name", "--scope", "erasure:read");
        Assert.True(badName.ExitCode == 1, badName.ToString());
        Assert.Contains("name:", badName.Error);
        Assert.Equal(2, (await app.CliAsync(TestKeys.All, "keys", "create", "x", "--scope", "erasure:delete")).ExitCode);
        Assert.Equal(2, (await app.CliAsync(TestKeys.All, "keys", "create", "x")).ExitCode);
        Assert.Equal(3, (await app.CliAsync(TestKeys.Reader, "keys", "list")).ExitCode);
    }
}
