using System.Net;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Erasure;

/// <summary>Types where they meet: cancels, overlapping requests, idempotency, filters, validation (no workers, so requests stay pending).</summary>
public sealed class RequestTypeTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    const string Requests = "/api/v1/erasure-requests";

    async Task<string> CreateAsync(string type, string userId, string? key = null) =>
        (await (await app.ClientFor(TestKeys.All).PostJsonAsync(Requests,
            $$"""{"user_ids": ["{{userId}}"], "type": "{{type}}", "requested_by": "t"}""", key)).JsonAsync(HttpStatusCode.Created)).Str("id");

    async Task<bool> SuppressedAsync(string userId) =>
        (await (await app.ClientFor(TestKeys.Reader).GetAsync($"/api/v1/subjects/user_id/{userId}")).JsonAsync(HttpStatusCode.OK)).GetProperty("suppressed").GetBoolean();

    Task<HttpResponseMessage> CancelAsync(string id) =>
        app.ClientFor(TestKeys.Writer).PostJsonAsync($"{Requests}/{id}/cancel", """{"reason": "filed twice"}""");

    [Fact]
    public async Task CancellingAnErase_LiftsItsSuppression_ThoughALiveDeleteCoversTheSubject()
    {
        var user = $"erase-and-delete-{Guid.NewGuid():N}";
        var erase = await CreateAsync("erase", user);
        var delete = await CreateAsync("delete", user);
        Assert.True(await SuppressedAsync(user));

        var cancelled = await (await CancelAsync(erase)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.Str("status"));
        Assert.False(await SuppressedAsync(user));
        var detail = await (await app.ClientFor(TestKeys.Reader).GetAsync($"{Requests}/{erase}")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), e => e.Str("action") == "suppression.lifted");
        Assert.Equal("pending", (await (await app.ClientFor(TestKeys.Reader).GetAsync($"{Requests}/{delete}")).JsonAsync(HttpStatusCode.OK)).Str("status"));
    }

    [Fact]
    public async Task CancellingADelete_LiftsNothing_SoAnEraseKeepsItsSuppression()
    {
        var user = $"delete-then-cancel-{Guid.NewGuid():N}";
        await CreateAsync("erase", user);
        var delete = await CreateAsync("delete", user);

        await (await CancelAsync(delete)).JsonAsync(HttpStatusCode.OK);
        Assert.True(await SuppressedAsync(user));
        var detail = await (await app.ClientFor(TestKeys.Reader).GetAsync($"{Requests}/{delete}")).JsonAsync(HttpStatusCode.OK);
        var cancelled = detail.GetProperty("timeline").EnumerateArray().Single(e => e.Str("action") == "request.cancelled");
        Assert.Equal(0, cancelled.GetProperty("details").GetProperty("suppressions_lifted").GetInt32());
        Assert.DoesNotContain(detail.GetProperty("timeline").EnumerateArray(), e => e.Str("action") == "suppression.lifted");
    }

    [Fact]
    public async Task CancellingAnErase_KeepsTheSuppression_ThatACompletedOptOutHolds()
    {
        var user = $"erase-and-opt-out-{Guid.NewGuid():N}";
        var erase = await CreateAsync("erase", user);
        await CreateAsync("suppress", user);
        await (await CancelAsync(erase)).JsonAsync(HttpStatusCode.OK);
        Assert.True(await SuppressedAsync(user));
    }

    [Fact]
    public async Task AnIdempotencyKey_ReplaysOnlyTheSameType()
    {
        var key = Guid.NewGuid().ToString();
        var user = $"idem-type-{Guid.NewGuid():N}";
        var id = await CreateAsync("delete", user, key);
        var replay = await (await app.ClientFor(TestKeys.All).PostJsonAsync(Requests, $$"""{"type": "delete", "requested_by": "t", "user_ids": ["{{user}}"]}""", key))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, replay.Str("id"));
        await (await app.ClientFor(TestKeys.All).PostJsonAsync(Requests, $$"""{"user_ids": ["{{user}}"], "requested_by": "t"}""", key))
            .ProblemAsync(HttpStatusCode.Conflict, "Idempotency-Key");
    }

    [Fact]
    public async Task TheList_FiltersByType()
    {
        var delete = await CreateAsync("delete", $"filter-{Guid.NewGuid():N}");
        var page = await (await app.ClientFor(TestKeys.Reader).GetAsync($"{Requests}?type=delete&limit=500")).JsonAsync(HttpStatusCode.OK);
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, r => r.Str("id") == delete);
        Assert.All(items, r => Assert.Equal("delete", r.Str("type")));
        await (await app.ClientFor(TestKeys.Reader).GetAsync($"{Requests}?type=opt_out")).ProblemAsync(HttpStatusCode.BadRequest, "type");
        await (await app.ClientFor(TestKeys.Reader).GetAsync($"{Requests}?due_before=tomorrow")).ProblemAsync(HttpStatusCode.BadRequest, "due_before");
    }

    [Theory]
    [InlineData("""{"user_ids": ["x"], "type": "opt_out", "requested_by": "t"}""", "type")]
    [InlineData("""{"user_ids": ["x"], "type": 2, "requested_by": "t"}""", "type")]
    [InlineData("""{"user_ids": ["x"], "type": ["erase"], "requested_by": "t"}""", "type")]
    [InlineData("""{"user_ids": ["x"], "type": "erase", "type": "delete", "requested_by": "t"}""", "type")]
    [InlineData("""{"user_ids": ["x"], "anonymous_ids": ["a"], "type": "delete", "requested_by": "t"}""", "anonymous_ids")]
    [InlineData("""{"user_ids": ["x"], "regulation": "uk-gdpr", "requested_by": "t"}""", "regulation")]
    public async Task Create_RejectsABadType_NamingTheField_AndWritesNothing(string body, string field)
    {
        var before = await app.CountAsync("erasure_requests");
        await (await app.ClientFor(TestKeys.Writer).PostJsonAsync(Requests, body)).ProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await app.CountAsync("erasure_requests"));
    }

    [Fact]
    public async Task AUkGdprRequest_IsDueOnTheCorrespondingDate()
    {
        var created = await (await app.ClientFor(TestKeys.Writer).PostJsonAsync(Requests,
            """{"user_ids": ["uk-1"], "regulation": "uk_gdpr", "submitted_at": "2026-01-31T10:00:00Z", "requested_by": "t"}""")).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("uk_gdpr", created.Str("regulation"));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(-10), created.GetProperty("due_at").GetDateTimeOffset());
        await using var db = app.NewDb();
        Assert.Equal("uk_gdpr", await db.Database.SqlQuery<string>($"SELECT regulation AS \"Value\" FROM privacy.erasure_requests WHERE id = {Guid.Parse(created.Str("id"))}").SingleAsync());
    }
}
