using System.Net;
using System.Text.Json;
using CsvHelper;
using Miso.Privacy.Erasure;
using Miso.Privacy.IntegrationTests.Dashboard;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Reports;

/// <summary>The service counting its days in Kiritimati (UTC+14), so a year begins on 31 December at 10:00 UTC.</summary>
public sealed class KiritimatiApp : PrivacyApp
{
    public KiritimatiApp() => ExtraSettings["Compliance:TimeZone"] = "Pacific/Kiritimati";
}

/// <summary>GET /api/v1/reports/metrics: the §7102 figures for a calendar year, counted by submission in Compliance:TimeZone.</summary>
public sealed class MetricsReportTests(KiritimatiApp app) : IClassFixture<KiritimatiApp>
{
    static DateTimeOffset Utc(int y, int m, int d, int h = 0) => new(y, m, d, h, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Metrics_CountAYearByItsSubmissions_PerRegulationAndType_AndVerify()
    {
        await Seed.RequestsAsync(app,
            // 23:30 UTC on 31 December 2023 is already 2024 in Kiritimati.
            new SeedRequest(RequestStatus.Completed, Utc(2024, 1, 2), Utc(2024, 2, 1)) { SubmittedAt = Utc(2023, 12, 31, 10), CompletedAt = Utc(2024, 1, 10, 10), UserIds = ["m-1"] },
            new SeedRequest(RequestStatus.Completed, Utc(2024, 3, 1), Utc(2024, 4, 1)) { CompletedAt = Utc(2024, 3, 21), UserIds = ["m-2"] },
            new SeedRequest(RequestStatus.Completed, Utc(2024, 5, 1), Utc(2024, 5, 2)) { CompletedAt = Utc(2024, 5, 4), UserIds = ["m-3"] },
            new SeedRequest(RequestStatus.Cancelled, Utc(2024, 6, 1), Utc(2024, 7, 1)) { Regulation = Regulation.Ccpa, UserIds = ["m-4"] },
            new SeedRequest(RequestStatus.Failed, Utc(2024, 7, 1), Utc(2024, 8, 15)) { Regulation = Regulation.Ccpa, Type = RequestType.Delete, UserIds = ["m-5"] },
            new SeedRequest(RequestStatus.Completed, Utc(2024, 8, 1), Utc(2024, 8, 21)) { Regulation = Regulation.Ccpa, Type = RequestType.Suppress, CompletedAt = Utc(2024, 8, 1), AnonymousIds = ["m-6"] },
            // 09:59 UTC on 31 December 2024 is still 2024 there; 10:00 is 2025.
            new SeedRequest(RequestStatus.Pending, Utc(2024, 12, 31, 9), Utc(2025, 1, 31)) { UserIds = ["m-7"] },
            new SeedRequest(RequestStatus.Pending, Utc(2024, 12, 31, 10), Utc(2025, 1, 31)) { UserIds = ["m-8"] });

        var export = await ReportFiles.FetchAsync(app.ClientFor(TestKeys.Reports), "/api/v1/reports/metrics?year=2024&format=json");
        var root = JsonDocument.Parse(export.Content).RootElement;
        Assert.Equal((2024, "submitted_at", "Pacific/Kiritimati"), (root.GetProperty("year").GetInt32(), root.Str("counted_by"), root.Str("time_zone")));
        Assert.Equal(("2023-12-31T10:00:00.000000Z", "2024-12-31T10:00:00.000000Z"), (export.Field("period_from"), export.Field("period_to")));
        var rows = root.GetProperty("rows").EnumerateArray().ToDictionary(r => (r.Str("regulation"), r.Str("type")));
        Assert.Equal(12, rows.Count);
        Assert.Equal("12", export.Field("rows"));
        var gdpr = rows[("gdpr", "erase")];
        // 10, 20 and 3 days; one of them (due on 2 May) late.
        Assert.Equal((4L, 3L, 1L, 0L, 0L, 1L, 10.0, 11.0), (gdpr.GetProperty("received").GetInt64(), gdpr.GetProperty("completed").GetInt64(),
            gdpr.GetProperty("completed_late").GetInt64(), gdpr.GetProperty("cancelled").GetInt64(), gdpr.GetProperty("failed").GetInt64(),
            gdpr.GetProperty("open").GetInt64(), gdpr.GetProperty("median_days").GetDouble(), gdpr.GetProperty("mean_days").GetDouble()));
        Assert.Equal(1L, rows[("ccpa", "erase")].GetProperty("cancelled").GetInt64());
        Assert.Equal(1L, rows[("ccpa", "delete")].GetProperty("failed").GetInt64());
        Assert.Equal(0.0, rows[("ccpa", "suppress")].GetProperty("median_days").GetDouble());
        Assert.Equal(JsonValueKind.Null, rows[("uk_gdpr", "erase")].GetProperty("median_days").ValueKind);
        Assert.Equal(0L, rows[("uk_gdpr", "erase")].GetProperty("received").GetInt64());
        await ReportFiles.AssertVerifiesAsync(export);

        var csv = await ReportFiles.FetchAsync(app.ClientFor(TestKeys.Reports), "/api/v1/reports/metrics?year=2024&format=csv");
        await using var reader = CsvReader.Create(csv.Content, null);
        var lines = new List<string>();
        while (await reader.ReadAsync())
            lines.Add(string.Join(",", reader.Headers.Select((_, i) => reader.GetString(i))));
        Assert.Equal("year,regulation,type,received,completed,completed_late,cancelled,failed,open,extended,median_days,mean_days", string.Join(",", reader.Headers));
        Assert.Contains("2024,gdpr,erase,4,3,1,0,0,1,0,10,11", lines);
        Assert.Equal(12, lines.Count);
        await ReportFiles.AssertVerifiesAsync(csv);
        await ReportFiles.AssertTamperingIsDetectedAsync(csv);
    }

    [Fact]
    public async Task Metrics_DefaultToLastYear_AndRefuseBadParameters()
    {
        var client = app.ClientFor(TestKeys.Reports);
        var lastYear = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(14)).Year - 1;
        var export = await ReportFiles.FetchAsync(client, "/api/v1/reports/metrics");
        Assert.Equal(lastYear, JsonDocument.Parse(export.Content).RootElement.GetProperty("year").GetInt32());
        foreach (var (query, field) in new[] { ("year=1999", "year"), ($"year={lastYear + 2}", "year"), ("year=20x4", "year"), ("year=2024&year=2025", "year"),
                     ("format=html", "format"), ("format=CSV", "format"), ("from=2024-01-01", "from") })
            await (await client.GetAsync($"/api/v1/reports/metrics?{query}")).ProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(TestKeys.Reader).GetAsync("/api/v1/reports/metrics")).StatusCode);
    }
}
