using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.Audit;
using Miso.Privacy.IntegrationTests.Dashboard;
using Miso.Privacy.IntegrationTests.Forwarding;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;
using static Miso.Privacy.IntegrationTests.Forwarding.ForwardingApp;

namespace Miso.Privacy.IntegrationTests.Sweeps;

/// <summary>Evidence of blocked re-entry: each request counts the uploaded records its subjects had dropped after it was filed.</summary>
public sealed class BlockedUploadsTests(ForwardingApp app) : IClassFixture<ForwardingApp>
{
    [Fact]
    public async Task BlockedRecords_AreTheRecordsOfItsSubjectSentAfterItWasFiled_InEveryEnvironmentAndByEveryKey()
    {
        var (erased, other, kept) = (NewId("blocked"), NewId("blocked-other"), NewId("kept"));
        // Before the request: forwarded, and no evidence of anything.
        await app.UploadOkAsync(Upload(Record(erased)));
        var id = await Erasures.CreateAsync(app.Management, [erased]);
        var control = await Erasures.CreateAsync(app.Management, [other]);

        Assert.Equal(3, await app.UploadOkAsync(Upload(Record(erased), Record(kept), Record(erased, NewId("anon")), Record(erased))));
        (await app.UploadAsync(Upload(Record(erased), Record(kept), Record(erased)), Publishable)).EnsureSuccessStatusCode();
        Assert.Equal(1, await app.UploadOkAsync(Upload(Record(erased)), DevelopmentSecret));

        var detail = await WaitForBlockedAsync(id, 6);
        var lastBlockedAt = detail.GetProperty("last_blocked_at").GetDateTimeOffset();
        Assert.True(lastBlockedAt >= detail.GetProperty("received_at").GetDateTimeOffset());
        // Written once: another flush with nothing new adds nothing.
        await app.Services.GetRequiredService<BlockedUploadsFlush>().FlushAsync(CancellationToken.None);
        var again = await (await app.Management.GetAsync($"/api/v1/erasure-requests/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(6, again.GetProperty("blocked_records").GetInt64());
        var untouched = await (await app.Management.GetAsync($"/api/v1/erasure-requests/{control}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal((0, JsonValueKind.Null), (untouched.GetProperty("blocked_records").GetInt64(), untouched.GetProperty("last_blocked_at").ValueKind));

        var row = await SweepTests.ReportRowAsync(app.Management, id);
        Assert.Equal(6, row.GetProperty("blocked_records").GetInt64());
        Assert.Equal(lastBlockedAt, row.GetProperty("last_blocked_at").GetDateTimeOffset());

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await (await app.Management.GetAsync("/api/v1/dashboard/summary")).JsonAsync(HttpStatusCode.OK))
               .GetProperty("retention").GetProperty("blocked_uploads30d").GetInt64() < 6)
        {
            Assert.True(DateTime.UtcNow < deadline, "the dashboard does not count the blocked uploads");
            await Task.Delay(250);
        }

        var metrics = await (await app.CreateClient().GetAsync("/metrics")).Content.ReadAsStringAsync();
        var lines = metrics.Split('\n').Where(l => l.StartsWith("miso_privacy_uploads_blocked_after_erasure", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.DoesNotContain(erased, l));
    }

    [Fact]
    public async Task ASuppressionWithoutARequest_DropsItsRecords_AndTheOtherRequestsStillGetTheirCounts()
    {
        var (orphan, erased) = (NewId("blocked-orphan"), NewId("blocked-beside"));
        await SuppressWithoutRequestAsync(orphan);
        var id = await Erasures.CreateAsync(app.Management, [erased]);

        Assert.Equal(2, await app.UploadOkAsync(Upload(Record(orphan), Record(erased), Record(NewId("kept")))));

        await WaitForBlockedAsync(id, 1);
    }

    /// <summary>A suppression row with no request behind it, written as a writer writes one (version, notify, propagation).</summary>
    async Task SuppressWithoutRequestAsync(string user)
    {
        var hash = Seed.Hasher.Hash(SubjectKind.UserId, user);
        var lookupKey = unchecked((long)Seed.Hasher.LookupKey(SubjectKind.UserId, user));
        await using (var db = app.NewDb())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await LedgerLock.AcquireAsync(db, default);
            await db.Database.ExecuteSqlAsync($"""
                WITH v AS (UPDATE privacy.suppression_state SET version = version + 1 WHERE id = 1 RETURNING version)
                INSERT INTO privacy.suppressions (kind, hash, lookup_key, created_at, version, environment)
                SELECT 'user_id', {hash}, {lookupKey}, now(), v.version, 'production' FROM v
                """);
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({SuppressionWriter.Channel}, (SELECT version::text FROM privacy.suppression_state WHERE id = 1))");
            await transaction.CommitAsync();
        }
        await app.Services.GetRequiredService<SuppressionPropagation>().WaitAsync(default);
    }

    async Task<JsonElement> WaitForBlockedAsync(string id, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var detail = await (await app.Management.GetAsync($"/api/v1/erasure-requests/{id}")).JsonAsync(HttpStatusCode.OK);
            var blocked = detail.GetProperty("blocked_records").GetInt64();
            if (blocked == expected)
                return detail;
            Assert.True(blocked < expected && DateTime.UtcNow < deadline, $"blocked_records {blocked}, expected {expected}");
            await Task.Delay(250);
        }
    }
}
