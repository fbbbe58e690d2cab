using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Audit;
using Miso.Privacy.Erasure;
using Miso.Privacy.Execution;
using Miso.Privacy.IntegrationTests.Dashboard;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.Subjects;

namespace Miso.Privacy.IntegrationTests.Reports;

/// <summary>The subjects report, and every CSV export opening in a spreadsheet (no cell past 32,767 characters).</summary>
[Trait(RunsAlongside.Trait, RunsAlongside.Yes)]
public sealed class ErasureSubjectsReportTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    const int SpreadsheetCell = 32_767;
    sealed record Seeded(ErasureRequest Large, ErasureRequest Small, List<string> RawIds, DateTimeOffset EuDeleted, DateTimeOffset UsDeleted)
    {
        public string Period(DateTimeOffset from) => $"from={from:yyyy-MM-dd}&to={from.AddMonths(1):yyyy-MM-dd}";
    }

    /// <summary>Two requests received in the month starting at <paramref name="from"/>, which no other test of the class uses.</summary>
    async Task<Seeded> SeedAsync(DateTimeOffset from)
    {
        var euDeleted = from.AddDays(3).AddHours(1);
        var usDeleted = from.AddDays(3).AddHours(2);
        var tag = Guid.NewGuid().ToString("N");
        var users = Enumerable.Range(0, 2_500).Select(i => $"bulk-{i}-{Guid.NewGuid():N}").ToArray();
        var both = new[] { MisoOperation.DeleteInteractions, MisoOperation.DeleteUser };
        var requests = await Seed.RequestsAsync(app,
            new SeedRequest(RequestStatus.InProgress, from.AddDays(1), from.AddDays(31))
            {
                UserIds = users, AnonymousIds = [$"bulk-anon-1-{tag}", $"bulk-anon-2-{tag}", $"bulk-anon-3-{tag}"], Ticket = "ZD-BULK",
                // Confirmed in eu (both operations deleted), not in us (the user record is still pending).
                Work = [new("eu", WorkItemState.Deleted, euDeleted) { Operations = both },
                    new("us", WorkItemState.Deleted, usDeleted) { Operations = [MisoOperation.DeleteInteractions] },
                    new("us", WorkItemState.Pending) { Operations = [MisoOperation.DeleteUser] }],
            },
            new SeedRequest(RequestStatus.Completed, from.AddDays(2), from.AddDays(32))
            {
                CompletedAt = from.AddDays(4), UserIds = [$"small-user-{tag}"], AnonymousIds = [$"small-anon-{tag}"],
                Work = [new("eu", WorkItemState.Deleted, euDeleted) { Operations = both }, new("us", WorkItemState.Deleted, usDeleted) { Operations = both }],
            });
        return new Seeded(requests[0], requests[1], [.. users, $"bulk-anon-1-{tag}", $"small-user-{tag}", $"small-anon-{tag}"], euDeleted, usDeleted);
    }

    [Fact]
    public async Task A2500SubjectRequest_FitsSpreadsheetCells_AndItsSubjectsReportTiesToTheDigest()
    {
        var seeded = await SeedAsync(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var (euDeleted, usDeleted) = (seeded.EuDeleted, seeded.UsDeleted);
        var client = app.ClientFor(TestKeys.Reports);
        var period = seeded.Period(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));

        var requests = await ReportFiles.FetchAsync(client, $"/api/v1/reports/erasures?{period}&format=csv");
        var requestRows = await CellsAsync(requests);
        var large = requestRows.Single(r => r["id"] == seeded.Large.Id.ToString("D"));
        Assert.Equal(("2503", "2500", "3"), (large["subjects"], large["user_ids"], large["anonymous_ids"]));

        var subjects = await ReportFiles.FetchAsync(client, $"/api/v1/reports/erasure-subjects?{period}&format=csv");
        var rows = await CellsAsync(subjects);
        Assert.Equal(2_505, rows.Count);
        Assert.Equal("2505", subjects.Field("rows"));
        Assert.Equal("erasure-subjects", subjects.Field("report"));
        var largeRows = rows.Where(r => r["request_id"] == seeded.Large.Id.ToString("D")).ToList();
        Assert.Equal(2_503, largeRows.Count);
        Assert.Equal(Sorted(seeded.Large), largeRows.Select(r => r["hash"]));
        Assert.Equal(large["subjects_digest"], Digest(largeRows.Select(r => r["hash"])));
        Assert.Equal(ErasureRequestStore.SubjectsDigest(seeded.Large.Subjects), large["subjects_digest"]);
        Assert.All(largeRows.Where(r => r["kind"] == "user_id"), r =>
            Assert.Equal(($"eu={Time(euDeleted)}", "us"), (r["deleted_in"], r["not_confirmed_in"])));
        Assert.All(largeRows.Where(r => r["kind"] == "anonymous_id"), r => Assert.Equal(("", ""), (r["deleted_in"], r["not_confirmed_in"])));
        Assert.Equal(3, largeRows.Count(r => r["kind"] == "anonymous_id"));
        var small = rows.Single(r => r["request_id"] == seeded.Small.Id.ToString("D") && r["kind"] == "user_id");
        Assert.Equal(($"eu={Time(euDeleted)} us={Time(usDeleted)}", "", "deleted"), (small["deleted_in"], small["not_confirmed_in"], small["status"]));

        ReportFiles.AssertContainsNone(subjects, seeded.RawIds);
        ReportFiles.AssertContainsNone(requests, seeded.RawIds);
        await ReportFiles.AssertVerifiesAsync(subjects);
        await ReportFiles.AssertTamperingIsDetectedAsync(subjects);
        await using var db = app.NewDb();
        Assert.Equal(1, await db.Database.SqlQuery<int>(
            $"SELECT count(*)::int AS \"Value\" FROM privacy.audit_events WHERE action = 'report.exported' AND details->>'report_id' = {subjects.ReportId}").SingleAsync());
    }

    [Fact]
    public async Task Json_ListsEachEnvironmentsConfirmation_AndVerifies()
    {
        var from = new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);
        var seeded = await SeedAsync(from);
        var (euDeleted, usDeleted) = (seeded.EuDeleted, seeded.UsDeleted);
        var export = await ReportFiles.FetchAsync(app.ClientFor(TestKeys.Reports), $"/api/v1/reports/erasure-subjects?{seeded.Period(from)}&format=json");
        var rows = JsonDocument.Parse(export.Content).RootElement.EnumerateArray().Where(r => r.Str("request_id") == seeded.Small.Id.ToString("D")).ToList();
        Assert.Equal(Sorted(seeded.Small), rows.Select(r => r.Str("hash")));
        var user = rows.Single(r => r.Str("kind") == "user_id");
        Assert.Equal([("eu", euDeleted), ("us", usDeleted)], user.GetProperty("deletions").EnumerateArray()
            .Select(d => (d.Str("environment"), d.GetProperty("confirmed_at").GetDateTimeOffset())));
        var large = JsonDocument.Parse(export.Content).RootElement.EnumerateArray().First(r => r.Str("request_id") == seeded.Large.Id.ToString("D") && r.Str("kind") == "user_id");
        Assert.Equal(JsonValueKind.Null, large.GetProperty("deletions")[1].GetProperty("confirmed_at").ValueKind);
        Assert.Empty(rows.Single(r => r.Str("kind") == "anonymous_id").GetProperty("deletions").EnumerateArray());
        ReportFiles.AssertContainsNone(export, seeded.RawIds);
        await ReportFiles.AssertVerifiesAsync(export);
    }

    [Fact]
    public async Task TheAuditCsv_ContinuesALongDetailsCell_OnRowsThatJoinBackToTheHashedText()
    {
        var requestId = Guid.NewGuid();
        var hashes = Enumerable.Range(0, 600).Select(i => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)))).ToList();
        await using (var db = app.NewDb())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await AuditLog.AppendAsync(db, "execution", DateTimeOffset.UtcNow, new AuditEntry("miso.call", requestId, null, new { subject_hashes = hashes }), default);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        var export = await ReportFiles.FetchAsync(app.ClientFor(TestKeys.Reports), $"/api/v1/audit/events?request_id={requestId}&format=csv");
        var rows = await CellsAsync(export);
        Assert.True(rows.Count > 1);
        Assert.All(rows, r => Assert.Equal(rows[0]["seq"], r["seq"]));
        await using var check = app.NewDb();
        var stored = await check.AuditEvents.SingleAsync(e => e.RequestId == requestId);
        Assert.Equal(stored.Details, string.Concat(rows.Select(r => r["details"])));
        Assert.Equal("1", export.Field("rows"));
        await ReportFiles.AssertVerifiesAsync(export);
    }

    [Fact]
    public async Task BadParameters_AreRefused_NamingTheField()
    {
        var client = app.ClientFor(TestKeys.Reports);
        await (await client.GetAsync("/api/v1/reports/erasure-subjects?format=html")).ProblemAsync(HttpStatusCode.BadRequest, "format");
        await (await client.GetAsync("/api/v1/reports/erasure-subjects?from=2025-02-01&to=2025-01-01")).ProblemAsync(HttpStatusCode.BadRequest, "to");
        await (await client.GetAsync("/api/v1/reports/erasure-subjects?request_id=x")).ProblemAsync(HttpStatusCode.BadRequest, "request_id");
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(TestKeys.Reader).GetAsync("/api/v1/reports/erasure-subjects")).StatusCode);
    }

    /// <summary>Every row as column → cell, failing on any cell a spreadsheet would cut.</summary>
    static async Task<List<Dictionary<string, string>>> CellsAsync(Export export)
    {
        await using var csv = CsvReader.Create(export.Content, null);
        var rows = new List<Dictionary<string, string>>();
        while (await csv.ReadAsync())
        {
            var row = csv.Headers.Select((h, i) => (h, v: csv.GetString(i))).ToDictionary(p => p.h, p => p.v);
            Assert.All(row.Values, cell => Assert.True(cell.Length <= SpreadsheetCell, $"a cell of {cell.Length} characters"));
            rows.Add(row);
        }
        Assert.All(csv.Headers, h => Assert.True(h.Length <= SpreadsheetCell));
        return rows;
    }

    static IEnumerable<string> Sorted(ErasureRequest request) =>
        request.Subjects.Select(s => s.Hash).Order(Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))).Select(SubjectHasher.ToHex);

    static string Digest(IEnumerable<string> hexHashes) =>
        Convert.ToHexStringLower(SHA256.HashData(hexHashes.SelectMany(Convert.FromHexString).ToArray()));

    static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
}
