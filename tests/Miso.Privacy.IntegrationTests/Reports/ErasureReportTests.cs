using System.Net;
using System.Text.Json;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Erasure;
using Miso.Privacy.Execution;
using Miso.Privacy.IntegrationTests.Dashboard;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.Subjects;
using Miso.Privacy.Sweeps;

namespace Miso.Privacy.IntegrationTests.Reports;

public sealed class ErasureReportTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    /// <summary>Three requests inside [from, to) and two just outside it, each with distinctive raw ids.</summary>
    sealed record Seeded(List<ErasureRequest> Inside, List<string> RawIds, string From, string To);

    async Task<Seeded> SeedMonthAsync(int month)
    {
        var from = new DateTimeOffset(2025, month, 1, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddMonths(1);
        var raw = Enumerable.Range(0, 12).Select(i => $"raw-{month}-{i}-{Guid.NewGuid():N}").ToList();
        var requests = await Seed.RequestsAsync(app,
            new SeedRequest(RequestStatus.Completed, from.AddDays(1), from.AddDays(31))
            {
                CompletedAt = from.AddDays(11).AddHours(12), UserIds = [raw[0], raw[1]], AnonymousIds = [raw[2]], MisoCalls = 2, Ticket = "ZD-1",
                Work = [new("eu", WorkItemState.Deleted, from.AddDays(11)), new("us", WorkItemState.Deleted, from.AddDays(11))],
            },
            new SeedRequest(RequestStatus.Completed, from.AddDays(2), from.AddDays(2 + 45))
            {
                Regulation = Regulation.Ccpa, CompletedAt = from.AddDays(50), UserIds = [raw[3]], MisoCalls = 5, Work = [new("eu", WorkItemState.Deleted, from.AddDays(50))],
            },
            new SeedRequest(RequestStatus.Pending, to.AddTicks(-10), DateTimeOffset.UtcNow.AddDays(10)) { UserIds = [raw[4]], AnonymousIds = [raw[5]], Work = [new("eu", WorkItemState.Pending)] },
            new SeedRequest(RequestStatus.Pending, from.AddTicks(-10), from.AddDays(30)) { UserIds = [raw[6]] },
            new SeedRequest(RequestStatus.Cancelled, to, to.AddDays(30)) { UserIds = [raw[7]] });
        return new Seeded(requests.Take(3).ToList(), raw, $"{from:yyyy-MM-dd}", $"{to:yyyy-MM-dd}");
    }

    [Fact]
    public async Task Csv_HasTheRangesRows_NoRawIds_AndItsManifestVerifiesWithSha256sumAndOpenssl()
    {
        var seeded = await SeedMonthAsync(3);
        var export = await ReportFiles.FetchAsync(app.ClientFor(TestKeys.Reports),
            $"/api/v1/reports/erasures?from={seeded.From}&to={seeded.To}&format=csv");

        Assert.Equal("text/csv", export.Response.Content.Headers.ContentType?.MediaType);
        await using var csv = CsvReader.Create(export.Content, null);
        var rows = new List<Dictionary<string, string>>();
        while (await csv.ReadAsync())
            rows.Add(csv.Headers.Select((h, i) => (h, v: csv.GetString(i))).ToDictionary(p => p.h, p => p.v));
        Assert.Equal(seeded.Inside.Select(r => r.Id.ToString("D")), rows.Select(r => r["id"]));

        var onTime = rows[0];
        Assert.Equal("completed", onTime["status"]);
        Assert.Equal("gdpr", onTime["regulation"]);
        Assert.Equal("ZD-1", onTime["ticket"]);
        Assert.Equal("2025-03-02T00:00:00.000000Z", onTime["received_at"]);
        Assert.Equal("10.5", onTime["days_taken"]);
        Assert.Equal("yes", onTime["within_deadline"]);
        Assert.Equal("3", onTime["subjects"]);
        Assert.Equal("eu us", onTime["environments"]);
        Assert.Equal("2", onTime["miso_calls"]);
        // The subjects themselves are in the erasure-subjects report; this one keeps counts and their digest.
        Assert.False(onTime.ContainsKey("subject_hashes"));
        Assert.Equal(("erase", "2", "1"), (onTime["type"], onTime["user_ids"], onTime["anonymous_ids"]));
        Assert.Equal(Digest(seeded.Inside[0]), onTime["subjects_digest"]);
        Assert.Equal(ErasureRequestStore.SubjectsDigest(seeded.Inside[0].Subjects), onTime["subjects_digest"]);
        Assert.Equal(("", "", "", ""), (onTime["original_due_at"], onTime["extended_at"], onTime["extension_reason"], onTime["notified_at"]));
        Assert.Equal(("ccpa", "48", "no"), (rows[1]["regulation"], rows[1]["days_taken"], rows[1]["within_deadline"]));
        Assert.Equal(("pending", "", "open", ""), (rows[2]["status"], rows[2]["days_taken"], rows[2]["within_deadline"], rows[2]["completed_at"]));

        ReportFiles.AssertContainsNone(export, seeded.RawIds);
        Assert.Equal("3", export.Field("rows"));
        Assert.Equal(("2025-03-01T00:00:00.000000Z", "2025-04-01T00:00:00.000000Z"), (export.Field("period_from"), export.Field("period_to")));
        Assert.Equal(export.ReportId, export.Field("report_id"));
        Assert.Equal(("2", "ES256", Signing.SigningKeyTests.SigningKid), (export.Field("format_version"), export.Field("signature_algorithm"), export.Field("kid")));
        Assert.Equal(["chain_head_seq", "chain_head_hash", "chain_head_at", "chain_head_signature", "signature_algorithm", "kid", "signature"],
            export.Manifest.TrimEnd('\n').Split('\n').Select(l => l.Split('=')[0]).TakeLast(7));
        await ReportFiles.AssertVerifiesAsync(export);
        await ReportFiles.AssertTamperingIsDetectedAsync(export);
    }

    [Fact]
    public async Task Json_HasTheRangesRows_NoRawIds_AndItsManifestVerifies()
    {
        var seeded = await SeedMonthAsync(5);
        var export = await ReportFiles.FetchAsync(app.ClientFor(TestKeys.All),
            $"/api/v1/reports/erasures?from={seeded.From}&to={seeded.To}&format=json");

        var rows = JsonDocument.Parse(export.Content).RootElement.EnumerateArray().ToList();
        Assert.Equal(seeded.Inside.Select(r => r.Id.ToString("D")), rows.Select(r => r.Str("id")));
        Assert.Equal(10.5, rows[0].GetProperty("days_taken").GetDouble());
        Assert.Equal(["eu", "us"], rows[0].GetProperty("environments").EnumerateArray().Select(e => e.GetString()));
        Assert.False(rows[0].TryGetProperty("subject_hashes", out _));
        Assert.Equal(Digest(seeded.Inside[0]), rows[0].Str("subjects_digest"));
        Assert.Equal(3, rows[0].GetProperty("subjects").GetInt32());
        Assert.Equal("erase", rows[0].Str("type"));
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("original_due_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, rows[2].GetProperty("completed_at").ValueKind);
        Assert.Equal("open", rows[2].Str("within_deadline"));

        ReportFiles.AssertContainsNone(export, seeded.RawIds);
        await ReportFiles.AssertVerifiesAsync(export);
        await ReportFiles.AssertTamperingIsDetectedAsync(export);
    }

    [Fact]
    public async Task Environments_AreThoseTheRequestCovers_OrForOldRequests_ThoseItsWorkRanIn()
    {
        var from = new DateTimeOffset(2025, 9, 1, 0, 0, 0, TimeSpan.Zero);
        var seeded = await Seed.RequestsAsync(app,
            new SeedRequest(RequestStatus.Completed, from.AddDays(1), from.AddDays(31))
            {
                CompletedAt = from.AddDays(2), AnonymousIds = [$"anonymous-{Guid.NewGuid():N}"], Environments = ["us"],
            },
            new SeedRequest(RequestStatus.Completed, from.AddDays(2), from.AddDays(32))
            {
                CompletedAt = from.AddDays(3), UserIds = [$"user-{Guid.NewGuid():N}"], Environments = ["eu"], Work = [new("eu", WorkItemState.Deleted, from.AddDays(3))],
            },
            new SeedRequest(RequestStatus.Completed, from.AddDays(3), from.AddDays(33))
            {
                CompletedAt = from.AddDays(4), UserIds = [$"user-{Guid.NewGuid():N}"], Work = [new("us", WorkItemState.Deleted, from.AddDays(4))],
            });
        var export = await ReportFiles.FetchAsync(app.ClientFor(TestKeys.Reports), "/api/v1/reports/erasures?from=2025-09-01&to=2025-10-01&format=json");

        var rows = JsonDocument.Parse(export.Content).RootElement.EnumerateArray().ToList();
        Assert.Equal(seeded.Select(r => r.Id.ToString("D")), rows.Select(r => r.Str("id")));
        Assert.Equal([["us"], ["eu"], ["us"]], rows.Select(r => r.GetProperty("environments").EnumerateArray().Select(e => e.GetString()!).ToArray()));
        await ReportFiles.AssertVerifiesAsync(export);
    }

    [Fact]
    public async Task Html_IsAPrintablePage_WithPeriodTotalsAndGenerationTime_AndVerifies()
    {
        var seeded = await SeedMonthAsync(7);
        var export = await ReportFiles.FetchAsync(app.ClientFor(TestKeys.Reports),
            $"/api/v1/reports/erasures?from={seeded.From}&to={seeded.To}&format=html");

        Assert.Equal("text/html", export.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>Erasure requests report</h1>", export.Text);
        Assert.Contains("2025-07-01 00:00 UTC – 2025-08-01 00:00 UTC", export.Text);
        Assert.Contains("<dt>Generated</dt>", export.Text);
        Assert.Contains("@media print", export.Text);
        Assert.Contains("""<tr><td class="n">3</td><td class="n">2</td><td class="n">1</td><td class="n">1</td><td class="n">1</td>""", export.Text);
        foreach (var request in seeded.Inside)
            Assert.Contains(request.Id.ToString("D"), export.Text);
        ReportFiles.AssertContainsNone(export, seeded.RawIds);
        await ReportFiles.AssertVerifiesAsync(export);
    }

    [Fact]
    public async Task Html_ShowsEachRequestsSweeps_ShredTime_AndUploadsBlocked_AsTheJsonDoes()
    {
        var from = new DateTimeOffset(2025, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var completedAt = from.AddDays(2).AddHours(9);
        var raw = Enumerable.Range(0, 2).Select(i => $"raw-11-{i}-{Guid.NewGuid():N}").ToList();
        var requests = await Seed.RequestsAsync(app,
            new SeedRequest(RequestStatus.Completed, from.AddDays(1), from.AddDays(31))
            {
                CompletedAt = completedAt, UserIds = [raw[0]], MisoCalls = 2, Ticket = """<b>ZD & "11"</b>""",
                Work = [new("eu", WorkItemState.Deleted, completedAt)],
            },
            new SeedRequest(RequestStatus.Pending, from.AddDays(3), from.AddDays(33)) { UserIds = [raw[1]] });
        var (swept, open) = (requests[0].Id, requests[1].Id);
        var shreddedAt = completedAt.AddDays(30).AddMinutes(7);
        await using (var db = app.NewDb())
        {
            db.RequestSweeps.AddRange(
                new RequestSweep { RequestId = swept, Round = 1, DueAt = completedAt.AddDays(1), SweptAt = completedAt.AddDays(1).AddMinutes(1), Outcome = "deleted" },
                new RequestSweep { RequestId = swept, Round = 2, DueAt = completedAt.AddDays(7), SweptAt = completedAt.AddDays(7).AddMinutes(1), Outcome = "failed" },
                new RequestSweep { RequestId = swept, Round = 3, DueAt = completedAt.AddDays(30), SweptAt = shreddedAt, Outcome = "deleted" });
            db.BlockedUploads.AddRange(
                new BlockedUpload { RequestId = swept, Day = new DateOnly(2025, 11, 5), BlockedRecords = 4, LastBlockedAt = from.AddDays(4).AddHours(8) },
                new BlockedUpload { RequestId = swept, Day = new DateOnly(2025, 11, 20), BlockedRecords = 3, LastBlockedAt = from.AddDays(19).AddHours(8).AddMinutes(15) });
            await db.SaveChangesAsync();
            await db.ErasureRequests.Where(r => r.Id == swept).ExecuteUpdateAsync(u => u.SetProperty(r => r.ShreddedAt, shreddedAt));
        }

        var range = $"from={from:yyyy-MM-dd}&to={from.AddMonths(1):yyyy-MM-dd}";
        var client = app.ClientFor(TestKeys.Reports);
        var export = await ReportFiles.FetchAsync(client, $"/api/v1/reports/erasures?{range}&format=html");
        var rows = export.Text.Split("<tr").Skip(1).ToList();
        var sweptRow = Assert.Single(rows, r => r.Contains(swept.ToString("D")));
        Assert.Contains("<td>3 scheduled, 3 done, 1 failed<br>shredded 2025-12-03 09:07 UTC</td>", sweptRow);
        Assert.Contains("""<td class="n">7<br><small>last 2025-11-20 08:15 UTC</small></td>""", sweptRow);
        Assert.Contains("<td>&lt;b&gt;ZD &amp; &quot;11&quot;&lt;/b&gt;</td>", sweptRow);
        Assert.DoesNotContain("<b>ZD", export.Text);
        var openRow = Assert.Single(rows, r => r.Contains(open.ToString("D")));
        Assert.Contains("""<td></td><td class="n">0</td>""", openRow);
        Assert.Contains("<th>Sweeps, identifiers shredded</th>", export.Text);
        Assert.Contains("""<td class="n">1</td><td class="n">7</td></tr></table>""", export.Text);
        ReportFiles.AssertContainsNone(export, raw);
        await ReportFiles.AssertVerifiesAsync(export);

        // The same figures as the json export of the same range.
        var json = await ReportFiles.FetchAsync(client, $"/api/v1/reports/erasures?{range}&format=json");
        var row = Assert.Single(JsonDocument.Parse(json.Content).RootElement.EnumerateArray(), r => r.Str("id") == swept.ToString("D"));
        Assert.Equal((3, 3, 1, 7L), (row.GetProperty("sweeps_scheduled").GetInt32(), row.GetProperty("sweeps_done").GetInt32(),
            row.GetProperty("sweeps_failed").GetInt32(), row.GetProperty("blocked_records").GetInt64()));
        Assert.Equal(shreddedAt, row.GetProperty("shredded_at").GetDateTimeOffset());
        Assert.Equal(from.AddDays(19).AddHours(8).AddMinutes(15), row.GetProperty("last_blocked_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Exports_RejectBadParameters_WithProblemsNamingTheField()
    {
        var client = app.ClientFor(TestKeys.Reports);
        await (await client.GetAsync("/api/v1/reports/erasures?format=xml")).ProblemAsync(HttpStatusCode.BadRequest, "format");
        await (await client.GetAsync("/api/v1/reports/erasures?from=yesterday")).ProblemAsync(HttpStatusCode.BadRequest, "from");
        await (await client.GetAsync("/api/v1/reports/erasures?from=2025-02-01&to=2025-01-01")).ProblemAsync(HttpStatusCode.BadRequest, "to");
        await (await client.GetAsync("/api/v1/reports/erasures?limit=5")).ProblemAsync(HttpStatusCode.BadRequest, "limit");
        await (await client.GetAsync("/api/v1/audit/events?request_id=42")).ProblemAsync(HttpStatusCode.BadRequest, "request_id");
        await (await client.GetAsync("/api/v1/audit/events?format=csv&format=jsonl")).ProblemAsync(HttpStatusCode.BadRequest, "format");
        await (await client.GetAsync($"/api/v1/reports/manifests/{Guid.CreateVersion7()}")).ProblemAsync(HttpStatusCode.NotFound, "report_id");
        await (await client.GetAsync("/api/v1/reports/manifests/nope")).ProblemAsync(HttpStatusCode.NotFound, "report_id");
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(TestKeys.Reader).GetAsync("/api/v1/reports/erasures")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(TestKeys.Reader).GetAsync("/api/v1/audit/events")).StatusCode);
    }

    /// <summary>What an auditor computes from the erasure-subjects report's hashes of one request.</summary>
    static string Digest(ErasureRequest request) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Hashes(request).SelectMany(Convert.FromHexString).ToArray()));

    static IEnumerable<string> Hashes(ErasureRequest request) =>
        request.Subjects.Select(s => s.Hash).Order(Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))).Select(SubjectHasher.ToHex);
}
