using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Execution;

/// <summary>Each request type through its whole lifecycle, with real jobs and the emulator as Miso.</summary>
[Collection(ExecutionCollection.Name)]
public sealed class RequestTypeLifecycleTests(ExecutionApp app) : IClassFixture<ExecutionApp>
{
    static string Body(string type, string userId, string? anonymousId = null) =>
        $$"""{"user_ids": ["{{userId}}"], "anonymous_ids": [{{(anonymousId is null ? "" : $"\"{anonymousId}\"")}}], "type": "{{type}}", "regulation": "ccpa", "requested_by": "t"}""";

    [Fact]
    public async Task Suppress_IsCompletedByItsCreate_KeepsTheSubjectsOut_AndNeverReachesMiso()
    {
        var client = app.ClientFor(TestKeys.All);
        var user = $"opt-out-{Guid.NewGuid():N}";
        var created = await (await client.PostJsonAsync("/api/v1/erasure-requests", Body("suppress", user, $"{user}-anon"))).JsonAsync(HttpStatusCode.Created);

        Assert.Equal(("suppress", "completed"), (created.Str("type"), created.Str("status")));
        Assert.Equal(created.GetProperty("received_at").GetDateTimeOffset(), created.GetProperty("completed_at").GetDateTimeOffset());
        Assert.False(created.GetProperty("late").GetBoolean());
        Assert.All(created.GetProperty("subjects").EnumerateArray(), s =>
        {
            Assert.Equal("suppressed_only", s.Str("status"));
            Assert.Equal(JsonValueKind.Null, s.GetProperty("value").ValueKind);
        });
        Assert.Equal(["request.created", "request.completed"], created.GetProperty("timeline").EnumerateArray().Select(e => e.Str("action")));
        Assert.True((await (await client.GetAsync($"/api/v1/subjects/user_id/{user}")).JsonAsync(HttpStatusCode.OK)).GetProperty("suppressed").GetBoolean());

        // A later erase request drains through; the opt-out's subject never did.
        var erase = await Erasures.CreateAsync(client, [$"{user}-other"]);
        await Erasures.WaitForAsync(client, [erase], "completed");
        var id = Guid.Parse(created.Str("id"));
        await using var db = app.NewDb();
        Assert.Equal(0, await db.WorkItems.CountAsync(w => w.RequestId == id));
        Assert.All(await db.RequestSubjects.Where(s => s.RequestId == id).ToListAsync(), s => Assert.Null(s.Value));
        Assert.DoesNotContain(await app.Inspector.GetCallsAsync(null, 100_000), c => c.UserIds.Contains(user));
        var cancel = await client.PostJsonAsync($"/api/v1/erasure-requests/{id}/cancel", """{"reason": "changed mind"}""");
        await cancel.ProblemAsync(HttpStatusCode.Conflict, "status");
    }

    [Fact]
    public async Task Delete_DeletesAtMiso_ButNeverSuppresses()
    {
        var client = app.ClientFor(TestKeys.All);
        var user = $"keeps-using-{Guid.NewGuid():N}";
        await app.SeedInteractionsAsync([user]);
        var created = await (await client.PostJsonAsync("/api/v1/erasure-requests", Body("delete", user))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("delete", created.Str("type"));
        var lookup = await (await client.GetAsync($"/api/v1/subjects/user_id/{user}")).JsonAsync(HttpStatusCode.OK);
        Assert.False(lookup.GetProperty("suppressed").GetBoolean());
        Assert.Equal("delete", Assert.Single(lookup.GetProperty("requests").EnumerateArray()).Str("type"));

        var id = created.Str("id");
        var done = (await Erasures.WaitForAsync(client, [id], "completed"))[id];
        Assert.All(done.GetProperty("environments").EnumerateArray(), e => Assert.Equal(2, e.GetProperty("deleted").GetInt32()));
        foreach (var environment in app.Emulator.Environments)
            Assert.Empty(await app.Inspector.GetInteractionsAsync(environment.Name, userId: user));
        Assert.False((await (await client.GetAsync($"/api/v1/subjects/user_id/{user}")).JsonAsync(HttpStatusCode.OK)).GetProperty("suppressed").GetBoolean());
        await using var db = app.NewDb();
        Assert.Equal(0, await db.Suppressions.CountAsync(s => s.RequestId == Guid.Parse(id)));
    }
}
