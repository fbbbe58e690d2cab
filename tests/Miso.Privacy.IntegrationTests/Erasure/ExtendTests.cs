using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Erasure;

/// <summary>POST /api/v1/erasure-requests/{id}/extend on real PostgreSQL: the moved date, its evidence, and every refusal writing nothing.</summary>
public sealed class ExtendTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    const string Requests = "/api/v1/erasure-requests";

    static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");

    async Task<JsonElement> CreateAsync(string regulation, DateTimeOffset submittedAt, string type = "erase")
    {
        var body = $$"""{"user_ids": ["extend-{{Guid.NewGuid():N}}"], "regulation": "{{regulation}}", "type": "{{type}}", "submitted_at": "{{Iso(submittedAt)}}", "requested_by": "t"}""";
        return await (await app.ClientFor(TestKeys.Writer).PostJsonAsync(Requests, body)).JsonAsync(HttpStatusCode.Created);
    }

    static string Extension(string reason, DateTimeOffset notifiedAt) =>
        $$"""{"reason": {{JsonSerializer.Serialize(reason)}}, "notified_at": "{{Iso(notifiedAt)}}"}""";

    [Fact]
    public async Task Extend_MovesTheDueDateTwoMonths_KeepsTheOriginal_AndRecordsTheEvidenceInTheChain()
    {
        var now = DateTimeOffset.UtcNow;
        var submitted = now.AddDays(-10);
        var created = await CreateAsync("gdpr", submitted);
        var id = created.Str("id");
        var originalDue = created.GetProperty("due_at").GetDateTimeOffset();
        Assert.Equal(JsonValueKind.Null, created.GetProperty("original_due_at").ValueKind);
        var notified = now.AddDays(-1);

        var extended = await (await app.ClientFor(TestKeys.Writer).PostJsonAsync($"{Requests}/{id}/extend", Extension("Complex: 40 linked accounts", notified)))
            .JsonAsync(HttpStatusCode.OK);

        var expected = DateOnly.FromDateTime(originalDue.UtcDateTime).AddMonths(2).ToDateTime(TimeOnly.MinValue).AddDays(1).AddTicks(-10);
        Assert.Equal(new DateTimeOffset(expected, TimeSpan.Zero), extended.GetProperty("due_at").GetDateTimeOffset());
        Assert.Equal(originalDue, extended.GetProperty("original_due_at").GetDateTimeOffset());
        Assert.Equal("Complex: 40 linked accounts", extended.Str("extension_reason"));
        Assert.Equal(Iso(notified), Iso(extended.GetProperty("notified_at").GetDateTimeOffset()));
        Assert.True(Math.Abs((extended.GetProperty("extended_at").GetDateTimeOffset() - DateTimeOffset.UtcNow).TotalMinutes) < 1);

        var detail = await (await app.ClientFor(TestKeys.Reader).GetAsync($"{Requests}/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(extended.GetProperty("due_at").GetDateTimeOffset(), detail.GetProperty("due_at").GetDateTimeOffset());
        Assert.Equal(originalDue, detail.GetProperty("original_due_at").GetDateTimeOffset());
        var audit = detail.GetProperty("timeline").EnumerateArray().Single(e => e.Str("action") == "request.extended");
        Assert.Equal("support-writer", audit.Str("actor"));
        Assert.Equal("Complex: 40 linked accounts", audit.GetProperty("details").Str("reason"));
        Assert.Equal(originalDue, audit.GetProperty("details").GetProperty("original_due_at").GetDateTimeOffset());
        Assert.True((await (await app.ClientFor(TestKeys.Reports).GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK)).GetProperty("intact").GetBoolean());

        // The list filters on the extended date.
        var before = await (await app.ClientFor(TestKeys.Reader).GetAsync($"{Requests}?due_before={Uri.EscapeDataString(Iso(originalDue.AddDays(1)))}&limit=500"))
            .JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(before.GetProperty("items").EnumerateArray(), r => r.Str("id") == id);
        var later = await (await app.ClientFor(TestKeys.Reader).GetAsync($"{Requests}?due_before={Uri.EscapeDataString(Iso(originalDue.AddMonths(3)))}&limit=500"))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Contains(later.GetProperty("items").EnumerateArray(), r => r.Str("id") == id && r.Str("extended_at") is not null);
    }

    [Fact]
    public async Task Extend_ForCcpa_Adds45Days()
    {
        var created = await CreateAsync("ccpa", DateTimeOffset.UtcNow.AddDays(-3));
        var extended = await (await app.ClientFor(TestKeys.Writer).PostJsonAsync($"{Requests}/{created.Str("id")}/extend",
            Extension("Numerous requests this week", DateTimeOffset.UtcNow))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("due_at").GetDateTimeOffset().AddDays(45), extended.GetProperty("due_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Extend_IsGrantedOnce_EvenWhenAskedFiveTimesAtOnce()
    {
        var id = (await CreateAsync("uk_gdpr", DateTimeOffset.UtcNow.AddDays(-2))).Str("id");
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(i =>
            app.ClientFor(TestKeys.Writer).PostJsonAsync($"{Requests}/{id}/extend", Extension($"attempt {i}", DateTimeOffset.UtcNow))));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
            await refused.ProblemAsync(HttpStatusCode.Conflict, "extended_at");
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM privacy.audit_events WHERE action = 'request.extended' AND request_id = '{id}'"));
    }

    [Fact]
    public async Task Extend_RefusesEachRule_NamingIt_AndWritesNothing()
    {
        var writer = app.ClientFor(TestKeys.Writer);
        var now = DateTimeOffset.UtcNow;
        var open = (await CreateAsync("gdpr", now.AddDays(-5))).Str("id");
        var overdue = (await CreateAsync("ccpa", now.AddDays(-50))).Str("id");
        var other = (await CreateAsync("other", now.AddDays(-5))).Str("id");
        var suppress = (await CreateAsync("gdpr", now.AddDays(-5), "suppress")).Str("id");
        var cancelled = (await CreateAsync("gdpr", now.AddDays(-5))).Str("id");
        await (await writer.PostJsonAsync($"{Requests}/{cancelled}/cancel", """{"reason": "duplicate"}""")).JsonAsync(HttpStatusCode.OK);
        var good = Extension("complex", now);
        var before = await SnapshotAsync();

        await (await writer.PostJsonAsync($"{Requests}/{overdue}/extend", good)).ProblemAsync(HttpStatusCode.Conflict, "due_at");
        await (await writer.PostJsonAsync($"{Requests}/{other}/extend", good)).ProblemAsync(HttpStatusCode.Conflict, "regulation");
        await (await writer.PostJsonAsync($"{Requests}/{suppress}/extend", good)).ProblemAsync(HttpStatusCode.Conflict, "status");
        await (await writer.PostJsonAsync($"{Requests}/{cancelled}/extend", good)).ProblemAsync(HttpStatusCode.Conflict, "status");
        await (await writer.PostJsonAsync($"{Requests}/{open}/extend", Extension("complex", now.AddDays(-6)))).ProblemAsync(HttpStatusCode.BadRequest, "notified_at");
        await (await writer.PostJsonAsync($"{Requests}/{open}/extend", Extension("complex", now.AddHours(1)))).ProblemAsync(HttpStatusCode.BadRequest, "notified_at");
        await (await writer.PostJsonAsync($"{Requests}/{open}/extend", Extension("  ", now))).ProblemAsync(HttpStatusCode.BadRequest, "reason");
        await (await writer.PostJsonAsync($"{Requests}/{open}/extend", $$"""{"reason": "{{new string('r', 2001)}}", "notified_at": "{{Iso(now)}}"}""")).ProblemAsync(HttpStatusCode.BadRequest, "reason");
        await (await writer.PostJsonAsync($"{Requests}/{open}/extend", """{"reason": "complex"}""")).ProblemAsync(HttpStatusCode.BadRequest, "notified_at");
        await (await writer.PostJsonAsync($"{Requests}/{open}/extend", """{"reason": "complex", "notified_at": "yesterday"}""")).ProblemAsync(HttpStatusCode.BadRequest, "notified_at");
        await (await writer.PostJsonAsync($"{Requests}/{open}/extend", """{"reason": "complex", "notified_at": 5}""")).ProblemAsync(HttpStatusCode.BadRequest, "notified_at");
        await (await writer.PostJsonAsync($"{Requests}/{open}/extend", $$"""{"reason": "complex", "notified_at": "{{Iso(now)}}", "due_at": "2030-01-01T00:00:00Z"}""")).ProblemAsync(HttpStatusCode.BadRequest, "due_at");
        await (await writer.PostJsonAsync($"{Requests}/{open}/extend", $$"""{"reason": "a", "reason": "b", "notified_at": "{{Iso(now)}}"}""")).ProblemAsync(HttpStatusCode.BadRequest, "reason");
        await (await writer.PostJsonAsync($"{Requests}/{open}/extend", "[]")).ProblemAsync(HttpStatusCode.BadRequest, "body");
        await (await writer.PostJsonAsync($"{Requests}/{open}/extend", "{")).ProblemAsync(HttpStatusCode.BadRequest, "body");
        await (await writer.PostJsonAsync($"{Requests}/{Guid.NewGuid()}/extend", good)).ProblemAsync(HttpStatusCode.NotFound, "id");
        await (await writer.PostJsonAsync($"{Requests}/not-a-guid/extend", good)).ProblemAsync(HttpStatusCode.NotFound, "id");
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(TestKeys.Reader).PostJsonAsync($"{Requests}/{open}/extend", good)).StatusCode);

        Assert.Equal(before, await SnapshotAsync());
        await (await writer.PostJsonAsync($"{Requests}/{open}/extend", good)).JsonAsync(HttpStatusCode.OK);
        await (await writer.PostJsonAsync($"{Requests}/{open}/extend", good)).ProblemAsync(HttpStatusCode.Conflict, "extended_at");
    }

    /// <summary>What a refused call must leave as it was: the audit chain and every request's clock.</summary>
    async Task<string> SnapshotAsync()
    {
        await using var db = app.NewDb();
        var events = await CountAsync("SELECT count(*) FROM privacy.audit_events");
        var clocks = string.Join(";", db.ErasureRequests.OrderBy(r => r.Number)
            .Select(r => $"{r.Id} {r.Status} {r.DueAt.UtcTicks} {r.OriginalDueAt} {r.ExtendedAt} {r.ExtensionReason} {r.NotifiedAt}"));
        return $"{events}|{clocks}";
    }

    async Task<long> CountAsync(string sql)
    {
        await using var db = app.NewDb();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
