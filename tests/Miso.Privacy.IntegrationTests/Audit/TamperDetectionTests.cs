using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Audit;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.IntegrationTests.Reports;
using Npgsql;

namespace Miso.Privacy.IntegrationTests.Audit;

/// <summary>
/// What the owner of the database can do to the chain, done as the owner: rewrite events and recompute every hash
/// after them, or cut events off the end. The chain then verifies against itself; a checkpoint kept from before does not.
/// Each test has a database of its own, because it breaks it.
/// </summary>
public sealed class TamperDetectionTests
{
    [Fact]
    public async Task ARewrittenChain_StillVerifiesAgainstItself_ButAManifestsCheckpointFromBefore_SaysRewritten()
    {
        await using var app = new PrivacyApp();
        await app.InitializeAsync();
        await Requests.CreateAsync(app, 8, "rewrite");
        var reports = app.ClientFor(TestKeys.Reports);
        var export = await ReportFiles.FetchAsync(reports, "/api/v1/reports/erasures?format=csv");
        var kept = $"{export.Field("chain_head_seq")}:{export.Field("chain_head_hash")}";
        Assert.Equal("8", export.Field("chain_head_seq"));
        await Requests.CreateAsync(app, 3, "rewrite-later");

        await RewriteAsync(app.ConnectionString, fromSeq: 4);

        var plain = await (await reports.GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK);
        Assert.True(plain.GetProperty("intact").GetBoolean(), "the rewrite should be consistent with itself: " + plain);
        var verify = await (await reports.GetAsync($"/api/v1/audit/verify?checkpoint={kept}")).JsonAsync(HttpStatusCode.OK);
        Assert.False(verify.GetProperty("intact").GetBoolean());
        var finding = verify.GetProperty("checkpoint");
        Assert.Equal("rewritten", finding.Str("status"));
        Assert.Equal(8, finding.GetProperty("seq").GetInt64());
        Assert.NotEqual(export.Field("chain_head_hash"), finding.Str("hash_on_chain"));
        Assert.Contains("rewritten", verify.Str("problem"));

        // A checkpoint taken after the rewrite holds: it vouches only for the chain as it was when it was signed.
        var after = await (await reports.GetAsync("/api/v1/audit/checkpoint")).JsonAsync(HttpStatusCode.OK);
        var fresh = await (await reports.GetAsync($"/api/v1/audit/verify?checkpoint={after.GetProperty("seq").GetInt64()}:{after.Str("hash")}"))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("holds", fresh.GetProperty("checkpoint").Str("status"));
    }

    [Fact]
    public async Task ATruncatedChain_StillVerifiesAgainstItself_ButACheckpointFromBefore_SaysTruncated()
    {
        await using var app = new PrivacyApp();
        await app.InitializeAsync();
        await Requests.CreateAsync(app, 10, "truncate");
        var reports = app.ClientFor(TestKeys.Reports);
        var kept = await (await reports.GetAsync("/api/v1/audit/checkpoint")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(10, kept.GetProperty("seq").GetInt64());

        await using (var owner = new NpgsqlConnection(app.ConnectionString))
        {
            await owner.OpenAsync();
            await new NpgsqlCommand("""
                ALTER TABLE privacy.audit_events DISABLE TRIGGER USER;
                DELETE FROM privacy.audit_events WHERE seq > 6;
                ALTER TABLE privacy.audit_events ENABLE TRIGGER USER;
                """, owner).ExecuteNonQueryAsync();
        }

        var plain = await (await reports.GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK);
        Assert.True(plain.GetProperty("intact").GetBoolean(), plain.ToString());
        Assert.Equal(6, plain.GetProperty("events").GetInt64());
        var verify = await (await reports.GetAsync($"/api/v1/audit/verify?checkpoint={kept.GetProperty("seq").GetInt64()}:{kept.Str("hash")}"))
            .JsonAsync(HttpStatusCode.OK);
        Assert.False(verify.GetProperty("intact").GetBoolean());
        Assert.Equal("truncated", verify.GetProperty("checkpoint").Str("status"));
        Assert.Equal(JsonValueKind.Null, verify.GetProperty("checkpoint").GetProperty("hash_on_chain").ValueKind);
        Assert.Contains("removed from its end", verify.Str("problem"));
    }

    /// <summary>What an operator with the owner's rights can do: change one event, then re-chain everything after it.</summary>
    static async Task RewriteAsync(string ownerConnectionString, long fromSeq)
    {
        await using var db = PrivacyApp.NewDb(ownerConnectionString);
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Seq >= fromSeq - 1).OrderBy(e => e.Seq).ToListAsync();
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await new NpgsqlCommand("ALTER TABLE privacy.audit_events DISABLE TRIGGER USER", connection, transaction).ExecuteNonQueryAsync();
        var prev = events[0].Hash;
        foreach (var e in events.Skip(1))
        {
            var actor = e.Seq == fromSeq ? "mallory" : e.Actor;
            var hash = AuditHashing.Compute(prev, e.Seq, e.OccurredAt, actor, e.Action, e.RequestId, e.SubjectHash, e.Details);
            await using var update = new NpgsqlCommand("UPDATE privacy.audit_events SET actor = $1, prev_hash = $2, hash = $3 WHERE seq = $4", connection, transaction)
            {
                Parameters = { new() { Value = actor }, new() { Value = prev }, new() { Value = hash }, new() { Value = e.Seq } },
            };
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
            prev = hash;
        }
        await new NpgsqlCommand("ALTER TABLE privacy.audit_events ENABLE TRIGGER USER", connection, transaction).ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }
}
