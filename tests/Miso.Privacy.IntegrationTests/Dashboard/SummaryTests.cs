using System.Net;
using System.Text.Json;
using Miso.Privacy.Erasure;
using Miso.Privacy.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Dashboard;

public sealed class SummaryTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task Summary_MatchesKnownAnswers_OnASeededDatabase()
    {
        var euDeleted = Now.AddHours(-3);
        var usDeleted = Now.AddDays(-2);
        var open = new[]
        {
            new SeedRequest(RequestStatus.Pending, Now.AddDays(-32), Now.AddDays(-2)) { UserIds = ["s-a"], Work = [new("eu", WorkItemState.Pending)] },
            new SeedRequest(RequestStatus.InProgress, Now.AddDays(-30), Now.AddHours(-1)) { UserIds = ["s-b"], Work = [new("eu", WorkItemState.InFlight)] },
            new SeedRequest(RequestStatus.Failed, Now.AddDays(-27), Now.AddDays(3)) { UserIds = ["s-c", "s-c2"], Work = [new("eu", WorkItemState.Failed)] },
            new SeedRequest(RequestStatus.Pending, Now.AddDays(-39), Now.AddDays(6)) { Regulation = Regulation.Ccpa, UserIds = ["s-d"], Work = [new("eu", WorkItemState.Retrying)] },
            new SeedRequest(RequestStatus.Pending, Now.AddDays(-10), Now.AddDays(20)) { AnonymousIds = ["s-e"] },
            new SeedRequest(RequestStatus.Cancelled, Now.AddDays(-35), Now.AddDays(-5)) { Regulation = Regulation.Other, UserIds = ["s-f"] },
        };
        // Completion times of 1..10 days, finished 1 h to 25 days ago; and one outside the 30-day window.
        var finishedAgo = new[] { TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromDays(2), TimeSpan.FromDays(3), TimeSpan.FromDays(4),
            TimeSpan.FromDays(10), TimeSpan.FromDays(12), TimeSpan.FromDays(15), TimeSpan.FromDays(20), TimeSpan.FromDays(25) };
        var completed = finishedAgo.Select((ago, i) => Completed(Now - ago, i + 1, i < 4 ? Regulation.Ccpa : Regulation.Gdpr)
                with { UserIds = [$"done-{i}"], Work = [new("eu", WorkItemState.Deleted, i == 0 ? euDeleted : Now.AddDays(-5)), new("us", WorkItemState.Deleted, usDeleted)] })
            .Append(Completed(Now.AddDays(-40), 50, Regulation.Gdpr));
        await Seed.RequestsAsync(app, [.. open, .. completed]);

        var summary = await (await app.ClientFor(TestKeys.Reader).GetAsync("/api/v1/dashboard/summary")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("""{"pending":3,"in_progress":1,"completed":11,"failed":1,"cancelled":1}""", summary.GetProperty("by_status").GetRawText());
        Assert.Equal("""{"gdpr":11,"uk_gdpr":0,"ccpa":5,"other":1}""", summary.GetProperty("by_regulation").GetRawText());
        Assert.Equal("""{"erase":17,"suppress":0,"delete":0}""", summary.GetProperty("by_type").GetRawText());
        Assert.Equal("""{"open":0,"last30d":0}""", summary.GetProperty("extended").GetRawText());
        Assert.Equal(5, summary.GetProperty("open").GetInt64());
        Assert.Equal(2, summary.GetProperty("overdue").GetInt64());
        Assert.Equal(2, summary.GetProperty("due_within7_days").GetInt64());
        // Each was due 30 days after submission and took 1 to 10: none late.
        Assert.Equal("""{"last24h":2,"last7d":5,"last30d":10,"late30d":0}""", summary.GetProperty("completed").GetRawText());
        var time = summary.GetProperty("completion_time");
        Assert.Equal(10, time.GetProperty("requests").GetInt64());
        Assert.Equal(5.5, time.GetProperty("p50_days").GetDouble());
        Assert.Equal(9.55, time.GetProperty("p95_days").GetDouble());
        Assert.Equal(10, time.GetProperty("max_days").GetDouble());
        Assert.Equal(5.5, time.GetProperty("mean_days").GetDouble());
        Assert.Equal([0L, 2, 4, 4, 0, 0, 0, 0], time.GetProperty("histogram").EnumerateArray().Select(b => b.GetProperty("count").GetInt64()));
        Assert.Equal(2, summary.GetProperty("failed_work_items").GetInt64());
        Assert.Equal(17, summary.GetProperty("suppressed_subjects").GetInt64());
        var environments = summary.GetProperty("environments").EnumerateArray().ToList();
        Assert.Equal(["eu", "us"], environments.Select(e => e.Str("name")));
        Assert.Equal(3, environments[0].GetProperty("backlog").GetInt64());
        Assert.Equal(0, environments[1].GetProperty("backlog").GetInt64());
        Assert.Equal(euDeleted.ToUnixTimeMilliseconds(), environments[0].GetProperty("last_successful_call_at").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(usDeleted.ToUnixTimeMilliseconds(), environments[1].GetProperty("last_successful_call_at").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.True(Math.Abs((summary.GetProperty("as_of").GetDateTimeOffset() - DateTimeOffset.UtcNow).TotalMinutes) < 2);
        AssertNoRawIds(summary, ["s-a", "s-b", "s-c", "s-d", "s-e", "s-f", "done-0"]);
    }

    [Fact]
    public async Task Summary_RejectsUnknownParameters_AndKeysWithoutErasureRead()
    {
        await (await app.ClientFor(TestKeys.Reader).GetAsync("/api/v1/dashboard/summary?verbose=1")).ProblemAsync(HttpStatusCode.BadRequest, "verbose");
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(TestKeys.Reports).GetAsync("/api/v1/dashboard/summary")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientFor(null).GetAsync("/api/v1/dashboard/summary")).StatusCode);
    }

    static SeedRequest Completed(DateTimeOffset completedAt, int days, Regulation regulation) =>
        new(RequestStatus.Completed, completedAt.AddDays(-days), completedAt.AddDays(-days + 30))
        {
            Regulation = regulation, CompletedAt = completedAt, UserIds = [$"late-{days}"],
        };

    static void AssertNoRawIds(JsonElement json, string[] raw)
    {
        var text = json.GetRawText();
        foreach (var id in raw)
            Assert.DoesNotContain($"\"{id}\"", text);
    }
}
