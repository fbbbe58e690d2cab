using System.Net;
using System.Text.Json;
using CsvHelper;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Reports;

public sealed class AuditEventsExportTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    [Fact]
    public async Task JsonLinesAndCsv_CarryTheLinkedChain_NoRawIds_AndTheirManifestsVerify()
    {
        var writer = app.ClientFor(TestKeys.All);
        var raw = Enumerable.Range(0, 3).Select(i => $"audit-raw-{i}-{Guid.NewGuid():N}").ToList();
        var ids = new List<string>();
        foreach (var id in raw)
        {
            var created = await (await writer.PostJsonAsync("/api/v1/erasure-requests",
                $$"""{"user_ids": ["{{id}}"], "anonymous_ids": ["{{id}}-anon"], "requested_by": "t"}""")).JsonAsync(HttpStatusCode.Created);
            ids.Add(created.Str("id"));
        }
        await (await writer.PostJsonAsync($"/api/v1/erasure-requests/{ids[1]}/cancel", """{"reason": "duplicate"}""")).JsonAsync(HttpStatusCode.OK);

        var reports = app.ClientFor(TestKeys.Reports);
        var jsonl = await ReportFiles.FetchAsync(reports, "/api/v1/audit/events");
        var events = jsonl.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.True(events.Count >= 4);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal(new string('0', 64), events[0].Str("prev_hash"));
        for (var i = 1; i < events.Count; i++)
            Assert.Equal(events[i - 1].Str("hash"), events[i].Str("prev_hash"));
        Assert.Equal(events[^1].GetProperty("seq").GetInt64().ToString(), jsonl.Field("chain_head_seq"));
        Assert.Equal(events[^1].Str("hash"), jsonl.Field("chain_head_hash"));
        Assert.Equal(events.Count.ToString(), jsonl.Field("rows"));
        Assert.Equal("", jsonl.Field("period_from"));
        ReportFiles.AssertContainsNone(jsonl, raw);
        await ReportFiles.AssertVerifiesAsync(jsonl);
        await ReportFiles.AssertTamperingIsDetectedAsync(jsonl);

        // The first export is itself on the record now, with its manifest.
        var csv = await ReportFiles.FetchAsync(reports, $"/api/v1/audit/events?format=csv&request_id={ids[1]}");
        await using var reader = CsvReader.Create(csv.Content, null);
        var actions = new List<string>();
        while (await reader.ReadAsync())
        {
            Assert.Equal(ids[1], reader.GetString(reader.GetFieldIndex("request_id")));
            actions.Add(reader.GetString(reader.GetFieldIndex("action")));
        }
        Assert.Equal("request.created", actions[0]);
        Assert.Contains("request.cancelled", actions);
        ReportFiles.AssertContainsNone(csv, raw);
        await ReportFiles.AssertVerifiesAsync(csv);

        var all = await ReportFiles.FetchAsync(reports, "/api/v1/audit/events");
        var recorded = all.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.Str("action") == "report.exported").ToList();
        Assert.Equal([jsonl.ReportId, csv.ReportId], recorded.Select(e => e.GetProperty("details").Str("report_id")));
        Assert.Equal(jsonl.Manifest, recorded[0].GetProperty("details").Str("manifest"));
        var verify = await (await reports.GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("intact").GetBoolean());
    }
}
