using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.IntegrationTests.Forwarding;
using Miso.Privacy.IntegrationTests.Infrastructure;
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
