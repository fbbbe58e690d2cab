using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Erasure;

public sealed class ErasureRequestRoundTripTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    const string Requests = "/api/v1/erasure-requests";

    [Fact]
    public async Task Create_Returns201WithLocationDueDateAndTimeline_AndGetReadsItBack()
    {
        var client = app.ClientFor(TestKeys.All);
        var response = await client.PostJsonAsync(Requests, """
            {"user_ids": ["5b09700", "f5df9ef", "5b09700"], "anonymous_ids": ["86D51273"], "regulation": "ccpa",
             "requested_by": "support:alice", "reason": "user asked by email", "ticket": "ZD-1001",
             "submitted_at": "2026-11-20T10:00:00Z"}
            """);
        var created = await response.JsonAsync(HttpStatusCode.Created);
        var id = created.Str("id");
        Assert.Equal($"/api/v1/erasure-requests/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("pending", created.Str("status"));
        Assert.Equal("ccpa", created.Str("regulation"));
        // 45 calendar days after 20 November is 4 January, due until that day's last microsecond (UTC by default).
        Assert.Equal(DateTimeOffset.Parse("2027-01-04T23:59:59.999999Z"), created.GetProperty("due_at").GetDateTimeOffset());
        Assert.Equal(3, created.GetProperty("counts").GetProperty("subjects").GetInt32());
        Assert.Equal(2, created.GetProperty("counts").GetProperty("user_ids").GetInt32());

        var detail = await (await client.GetAsync($"{Requests}/{id}")).JsonAsync(HttpStatusCode.OK);
        var subjects = detail.GetProperty("subjects").EnumerateArray().ToList();
        Assert.Equal(["5b09700", "f5df9ef", "86D51273"], subjects.Select(s => s.Str("value")));
        Assert.Equal(["pending", "pending", "suppressed_only"], subjects.Select(s => s.Str("status")));
        Assert.All(subjects, s => Assert.Matches("^[0-9a-f]{64}$", s.Str("hash")));
        var timeline = detail.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal("request.created", Assert.Single(timeline).Str("action"));
        Assert.Equal(TestKeys.All.Name, timeline[0].Str("actor"));
        Assert.DoesNotContain("5b09700", timeline[0].GetRawText());
    }

    [Fact]
    public async Task Create_DefaultsToGdpr_DueAtTheEndOfTheCorrespondingDateNextMonth()
    {
        var before = DateTimeOffset.UtcNow;
        var created = await (await app.ClientFor(TestKeys.All).PostJsonAsync(Requests, """{"user_ids": ["gdpr-default"], "requested_by": "t"}"""))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("gdpr", created.Str("regulation"));
        var received = created.GetProperty("received_at").GetDateTimeOffset();
        Assert.InRange(received, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        var dueDay = DateOnly.FromDateTime(received.UtcDateTime).AddMonths(1);
        Assert.Equal(new DateTimeOffset(dueDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddTicks(-10),
            created.GetProperty("due_at").GetDateTimeOffset());
        Assert.Equal(created.GetProperty("submitted_at").GetDateTimeOffset(), received);
        Assert.False(created.GetProperty("overdue").GetBoolean());
    }

    [Fact]
    public async Task Get_Returns404Problem_ForUnknownAndMalformedIds()
    {
        var client = app.ClientFor(TestKeys.All);
        await (await client.GetAsync($"{Requests}/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound, "id");
        await (await client.GetAsync($"{Requests}/not-a-guid")).ProblemAsync(HttpStatusCode.NotFound, "id");
    }

    [Fact]
    public async Task List_FiltersAndPagesNewestFirst()
    {
        var client = app.ClientFor(TestKeys.All);
        var ticket = $"T-{Guid.NewGuid():N}";
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var regulation = i % 2 == 0 ? "gdpr" : "ccpa";
            var body = $$"""{"user_ids": ["list-{{ticket}}-{{i}}"], "requested_by": "t", "ticket": "{{ticket}}", "regulation": "{{regulation}}"}""";
            ids.Add((await (await client.PostJsonAsync(Requests, body)).JsonAsync(HttpStatusCode.Created)).Str("id"));
        }
        ids.Reverse();

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"{Requests}?ticket={ticket}&limit=2" + (cursor is null ? "" : $"&cursor={cursor}")))
                .JsonAsync(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Str("id")));
            cursor = page.GetProperty("next_cursor").GetString();
        } while (cursor is not null);
        Assert.Equal(ids, seen);

        var ccpa = await (await client.GetAsync($"{Requests}?ticket={ticket}&regulation=ccpa")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, ccpa.GetProperty("items").GetArrayLength());
        var none = await (await client.GetAsync($"{Requests}?ticket={ticket}&status=completed")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, none.GetProperty("items").GetArrayLength());
        var future = DateTimeOffset.UtcNow.AddMinutes(5).ToString("O");
        var later = await (await client.GetAsync($"{Requests}?ticket={ticket}&received_from={Uri.EscapeDataString(future)}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, later.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task List_FindsOverdueRequests()
    {
        var client = app.ClientFor(TestKeys.All);
        var ticket = $"OD-{Guid.NewGuid():N}";
        var old = DateTimeOffset.UtcNow.AddDays(-40).ToString("O");
        var overdue = await (await client.PostJsonAsync(Requests, $$"""{"user_ids": ["od-1-{{ticket}}"], "requested_by": "t", "ticket": "{{ticket}}", "submitted_at": "{{old}}"}"""))
            .JsonAsync(HttpStatusCode.Created);
        await client.PostJsonAsync(Requests, $$"""{"user_ids": ["od-2-{{ticket}}"], "requested_by": "t", "ticket": "{{ticket}}"}""");
        Assert.True(overdue.GetProperty("overdue").GetBoolean());

        var page = await (await client.GetAsync($"{Requests}?ticket={ticket}&overdue=true")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(overdue.Str("id"), Assert.Single(page.GetProperty("items").EnumerateArray()).Str("id"));
    }

    [Theory]
    [InlineData("status=done", "status")]
    [InlineData("regulation=hipaa", "regulation")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("received_from=yesterday", "received_from")]
    [InlineData("overdue=yes", "overdue")]
    [InlineData("colour=blue", "colour")]
    [InlineData("status=pending&status=failed", "status")]
    public async Task List_Returns400NamingTheParameter_ForBadQueries(string query, string field) =>
        await (await app.ClientFor(TestKeys.All).GetAsync($"{Requests}?{query}")).ProblemAsync(HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task Cancel_MovesPendingToCancelledWithAuditedReason_AndRefusesTwice()
    {
        var client = app.ClientFor(TestKeys.All);
        var id = (await (await client.PostJsonAsync(Requests, """{"user_ids": ["cancel-me"], "requested_by": "t"}""")).JsonAsync(HttpStatusCode.Created)).Str("id");

        var cancelled = await (await client.PostJsonAsync($"{Requests}/{id}/cancel", """{"reason": "filed in error"}""")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.Str("status"));
        await (await client.PostJsonAsync($"{Requests}/{id}/cancel", """{"reason": "again"}""")).ProblemAsync(HttpStatusCode.Conflict, "status");

        var detail = await (await client.GetAsync($"{Requests}/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("filed in error", detail.Str("cancel_reason"));
        // Issue 13: the cancel also shreds the request's ids, and says so in the chain and in the detail.
        Assert.Equal(["request.created", "request.cancelled", "suppression.lifted", "request.shredded"],
            detail.GetProperty("timeline").EnumerateArray().Select(e => e.Str("action")));
        Assert.Equal(detail.GetProperty("cancelled_at").GetDateTimeOffset(), detail.GetProperty("shredded_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Cancel_PurgesTheRawIds_SoNoApiReturnsThem_AndTheRowsHoldNull()
    {
        var client = app.ClientFor(TestKeys.All);
        var userId = $"cancel-purge-{Guid.NewGuid():N}";
        var anonymousId = $"cancel-purge-anon-{Guid.NewGuid():N}";
        var id = (await (await client.PostJsonAsync(Requests, $$"""{"user_ids": ["{{userId}}"], "anonymous_ids": ["{{anonymousId}}"], "requested_by": "t"}"""))
            .JsonAsync(HttpStatusCode.Created)).Str("id");
        var before = await (await client.GetAsync($"{Requests}/{id}")).Content.ReadAsStringAsync();
        Assert.Contains(userId, before); // shown while open, so the checks below can fail

        var cancel = await client.PostJsonAsync($"{Requests}/{id}/cancel", """{"reason": "filed in error"}""");
        var answers = new List<string> { await cancel.Content.ReadAsStringAsync() };
        foreach (var url in new[]
                 {
                     $"{Requests}/{id}", $"{Requests}?limit=500", $"{Requests}?status=cancelled",
                     $"/api/v1/subjects/user_id/{userId}", $"/api/v1/subjects/anonymous_id/{anonymousId}",
                     "/api/v1/audit/events?format=jsonl", "/api/v1/audit/events?format=csv",
                     "/api/v1/reports/erasures?format=json", "/api/v1/reports/erasures?format=csv", "/api/v1/reports/erasures?format=html",
                     "/api/v1/dashboard/summary",
                 })
        {
            var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            answers.Add(await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.All(answers, answer => Assert.DoesNotContain(userId, answer));
        Assert.All(answers, answer => Assert.DoesNotContain(anonymousId, answer));
        var detail = await (await client.GetAsync($"{Requests}/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.All(detail.GetProperty("subjects").EnumerateArray(), s => Assert.Equal(JsonValueKind.Null, s.GetProperty("value").ValueKind));
        // Looking the subject up by its raw id still works: the lookup hashes the query.
        var found = await (await client.GetAsync($"/api/v1/subjects/user_id/{userId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(found.GetProperty("requests").EnumerateArray()).Str("id"));

        await using var db = app.NewDb();
        var rows = await db.RequestSubjects.Where(s => s.RequestId == Guid.Parse(id)).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, s => Assert.Null(s.Value));
    }

    [Theory]
    [InlineData("{}", "reason")]
    [InlineData("""{"reason": "   "}""", "reason")]
    [InlineData("""{"reason": 5}""", "reason")]
    [InlineData("""{"reason": "x", "force": true}""", "force")]
    [InlineData("not json", "body")]
    public async Task Cancel_Returns400_WithoutAValidReason_AndLeavesTheRequestPending(string body, string field)
    {
        var client = app.ClientFor(TestKeys.All);
        var id = (await (await client.PostJsonAsync(Requests, """{"user_ids": ["cancel-bad"], "requested_by": "t"}""")).JsonAsync(HttpStatusCode.Created)).Str("id");
        await (await client.PostJsonAsync($"{Requests}/{id}/cancel", body)).ProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal("pending", (await (await client.GetAsync($"{Requests}/{id}")).JsonAsync(HttpStatusCode.OK)).Str("status"));
    }

    [Fact]
    public async Task Cancel_Returns404_ForUnknownRequest() =>
        await (await app.ClientFor(TestKeys.All).PostJsonAsync($"{Requests}/{Guid.NewGuid()}/cancel", """{"reason": "x"}"""))
            .ProblemAsync(HttpStatusCode.NotFound, "id");
}
