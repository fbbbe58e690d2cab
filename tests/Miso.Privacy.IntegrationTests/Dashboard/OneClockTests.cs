using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Miso.Privacy.Erasure;
using Miso.Privacy.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.IntegrationTests.Reports;
using Miso.Privacy.IntegrationTests.Telemetry;

namespace Miso.Privacy.IntegrationTests.Dashboard;

/// <summary>The service on a clock standing at noon UTC on 2 December 2026.</summary>
public sealed class December2026App : PrivacyApp
{
    public static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    public December2026App() => TestServices = services => services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
}

/// <summary>
/// The same requests seen through every surface: the summary, the daily chart's data, each request, the erasure
/// report, the record-keeping metrics and /metrics agree on how long each took and whether it was late.
/// </summary>
public sealed class OneClockTests(December2026App app) : IClassFixture<December2026App>
{
    static DateTimeOffset At(int month, int day, int hour = 0, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    static SeedRequest Completed(Regulation regulation, DateTimeOffset submitted, DateTimeOffset completed, string user) =>
        new(RequestStatus.Completed, submitted, Deadlines.Default.DueAt(regulation, RequestType.Erase, submitted))
        {
            Regulation = regulation, CompletedAt = completed, UserIds = [user],
            Work = [new("eu", WorkItemState.Deleted, completed) { Operations = [MisoOperation.DeleteInteractions, MisoOperation.DeleteUser] }],
        };

    [Fact]
    public async Task EverySurface_AgreesOnCompletionTimeAndLateness()
    {
        var originalDue = Deadlines.Default.DueAt(Regulation.Gdpr, RequestType.Erase, At(9, 20));
        var seeded = await Seed.RequestsAsync(app,
            // The example: asked under the CCPA on 1 October, completed on 1 December, 61.95 days, late.
            Completed(Regulation.Ccpa, At(10, 1, 1), At(12, 1, 23, 48), "clock-ccpa"),
            Completed(Regulation.Gdpr, At(11, 10, 8), At(11, 20, 20), "clock-on-time"),
            // Completed after its original due date but before the extended one: on time.
            Completed(Regulation.Gdpr, At(9, 20), At(11, 25), "clock-extended") with
            {
                DueAt = Deadlines.Default.ExtendedDueAt(Regulation.Gdpr, originalDue)!.Value, OriginalDueAt = originalDue, ExtendedAt = At(10, 10),
            },
            Completed(Regulation.UkGdpr, At(10, 5), At(11, 10, 12), "clock-uk-late"),
            // An opt-out received six hours after the person asked: completed by its create, a quarter of a day.
            new SeedRequest(RequestStatus.Completed, At(11, 30, 6), Deadlines.Default.DueAt(Regulation.Ccpa, RequestType.Suppress, At(11, 30)))
            {
                Regulation = Regulation.Ccpa, Type = RequestType.Suppress, SubmittedAt = At(11, 30), CompletedAt = At(11, 30, 6), AnonymousIds = ["clock-opt-out"],
            },
            new SeedRequest(RequestStatus.Pending, At(10, 1), Deadlines.Default.DueAt(Regulation.Gdpr, RequestType.Erase, At(10, 1))) { UserIds = ["clock-overdue"] },
            new SeedRequest(RequestStatus.Cancelled, At(11, 1), At(12, 1)) { Regulation = Regulation.Other, UserIds = ["clock-cancelled"] });
        var completed = seeded.Where(r => r.CompletedAt is not null).ToList();
        var days = completed.ToDictionary(r => r.Id, r => (r.CompletedAt!.Value - r.SubmittedAt).TotalDays);
        var late = completed.Where(r => r.CompletedAt > r.DueAt).Select(r => r.Id).ToHashSet();
        Assert.True(late.SetEquals([seeded[0].Id, seeded[3].Id]));
        Assert.Equal(61.95, Math.Round(days[seeded[0].Id], 2));

        // The summary and the daily chart.
        var summary = await (await app.ClientFor(TestKeys.Reader).GetAsync("/api/v1/dashboard/summary")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(5, summary.GetProperty("completed").GetProperty("last30d").GetInt64());
        Assert.Equal(late.Count, summary.GetProperty("completed").GetProperty("late30d").GetInt64());
        var time = summary.GetProperty("completion_time");
        var sorted = days.Values.Order().ToList();
        Assert.Equal(Math.Round(sorted[2], 2), time.GetProperty("p50_days").GetDouble());
        Assert.Equal(Math.Round(sorted.Average(), 2), time.GetProperty("mean_days").GetDouble());
        Assert.Equal(Math.Round(sorted[^1], 2), time.GetProperty("max_days").GetDouble());
        // 0.25 d, 10.5 d, 36.5 d, 61.95 d, 66 d: the CCPA example in the 45+ bucket, not 0–1.
        Assert.Equal([1L, 0, 0, 1, 0, 0, 1, 2], time.GetProperty("histogram").EnumerateArray().Select(b => b.GetProperty("count").GetInt64()));
        Assert.Equal("""{"open":0,"last30d":0}""", summary.GetProperty("extended").GetRawText());
        Assert.Equal(1, summary.GetProperty("overdue").GetInt64());
        var daily = await (await app.ClientFor(TestKeys.Reader).GetAsync("/api/v1/dashboard/daily?days=31")).JsonAsync(HttpStatusCode.OK);
        var series = daily.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(late.Count, series.Sum(d => d.GetProperty("completed_late").GetInt64()));
        Assert.Equal(1, series.Single(d => d.Str("date") == "2026-12-01").GetProperty("completed_late").GetInt64());

        // Each request, and the erasure report.
        var export = await ReportFiles.FetchAsync(app.ClientFor(TestKeys.Reports), "/api/v1/reports/erasures?from=2026-09-01&format=json");
        var rows = JsonDocument.Parse(export.Content).RootElement.EnumerateArray().ToDictionary(r => Guid.Parse(r.Str("id")));
        foreach (var request in completed)
        {
            var detail = await (await app.ClientFor(TestKeys.Reader).GetAsync($"/api/v1/erasure-requests/{request.Id}")).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(Math.Round(days[request.Id], 2), detail.GetProperty("completion_days").GetDouble());
            Assert.Equal(late.Contains(request.Id), detail.GetProperty("late").GetBoolean());
            Assert.Equal(Math.Round(days[request.Id], 2), rows[request.Id].GetProperty("days_taken").GetDouble());
            Assert.Equal(late.Contains(request.Id) ? "no" : "yes", rows[request.Id].Str("within_deadline"));
        }
        Assert.Equal((61.95, "no"), (rows[seeded[0].Id].GetProperty("days_taken").GetDouble(), rows[seeded[0].Id].Str("within_deadline")));
        Assert.Equal(originalDue, rows[seeded[2].Id].GetProperty("original_due_at").GetDateTimeOffset());
        Assert.Equal("no", rows[seeded[5].Id].Str("within_deadline"));
        await ReportFiles.AssertVerifiesAsync(export);
        var html = await ReportFiles.FetchAsync(app.ClientFor(TestKeys.Reports), "/api/v1/reports/erasures?from=2026-09-01&format=html");
        Assert.Contains($"""<tr><td class="n">7</td><td class="n">5</td><td class="n">3</td><td class="n">{late.Count}</td>""", html.Text);

        // The record-keeping metrics for 2026: per group, and their weighted mean is the summary's.
        var metrics = await ReportFiles.FetchAsync(app.ClientFor(TestKeys.Reports), "/api/v1/reports/metrics?year=2026&format=json");
        var groups = JsonDocument.Parse(metrics.Content).RootElement.GetProperty("rows").EnumerateArray()
            .ToDictionary(r => (r.Str("regulation"), r.Str("type")));
        Assert.Equal(late.Count, groups.Values.Sum(g => g.GetProperty("completed_late").GetInt64()));
        var ccpa = groups[("ccpa", "erase")];
        Assert.Equal((1L, 1L, 61.95, 61.95), (ccpa.GetProperty("completed").GetInt64(), ccpa.GetProperty("completed_late").GetInt64(),
            ccpa.GetProperty("median_days").GetDouble(), ccpa.GetProperty("mean_days").GetDouble()));
        var gdpr = groups[("gdpr", "erase")];
        Assert.Equal((3L, 2L, 0L, 1L, 1L), (gdpr.GetProperty("received").GetInt64(), gdpr.GetProperty("completed").GetInt64(),
            gdpr.GetProperty("completed_late").GetInt64(), gdpr.GetProperty("open").GetInt64(), gdpr.GetProperty("extended").GetInt64()));
        Assert.Equal(Math.Round((days[seeded[1].Id] + days[seeded[2].Id]) / 2, 2), gdpr.GetProperty("median_days").GetDouble());
        Assert.Equal(1L, groups[("other", "erase")].GetProperty("cancelled").GetInt64());
        var weighted = groups.Values.Where(g => g.GetProperty("completed").GetInt64() > 0)
            .Sum(g => g.GetProperty("mean_days").GetDouble() * g.GetProperty("completed").GetInt64()) / completed.Count;
        Assert.Equal(time.GetProperty("mean_days").GetDouble(), Math.Round(weighted, 2), 2);
        await ReportFiles.AssertVerifiesAsync(metrics);

        // /metrics: the open request past its due date, by regulation and type, as the summary counts it.
        var samples = PrometheusText.Parse(await app.CreateClient().GetStringAsync("/metrics"));
        Assert.Equal(1, samples.Named("miso_privacy_requests_overdue", ("regulation", "gdpr"), ("type", "erase")).Sum(s => s.Value));
        Assert.Equal(summary.GetProperty("overdue").GetInt64(), samples.Named("miso_privacy_requests_overdue").Sum(s => s.Value));
    }
}
