using System.Net;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Execution;

[Collection(ExecutionCollection.Name)]
public sealed class ExecutionTests(ExecutionApp app) : IClassFixture<ExecutionApp>
{
    [Fact]
    public async Task Completion_PurgesRawIds_ButLookupByRawIdStillFindsTheRequest()
    {
        var client = app.ClientFor(TestKeys.All);
        var id = await Erasures.CreateAsync(client, ["purge-me"], "\"purge-me-anon\"");
        var done = (await Erasures.WaitForAsync(client, [id], "completed"))[id];

        Assert.All(done.GetProperty("subjects").EnumerateArray(), s => Assert.Equal(System.Text.Json.JsonValueKind.Null, s.GetProperty("value").ValueKind));
        var environments = done.GetProperty("environments").EnumerateArray().ToList();
        Assert.Equal(["development", "production"], environments.Select(e => e.Str("environment")));
        Assert.All(environments, e => Assert.Equal(2, e.GetProperty("deleted").GetInt32())); // interactions and the user record
        Assert.Equal(4, done.GetProperty("miso_calls").GetInt32());
        await using (var db = app.NewDb())
        {
            Assert.All(await db.RequestSubjects.Where(s => s.RequestId == Guid.Parse(id)).ToListAsync(), s => Assert.Null(s.Value));
            Assert.Equal(4, await db.WorkItems.CountAsync(w => w.RequestId == Guid.Parse(id) && w.State == WorkItemState.Deleted));
        }
        var found = await (await client.GetAsync("/api/v1/subjects/user_id/purge-me")).JsonAsync(HttpStatusCode.OK);
        Assert.True(found.GetProperty("suppressed").GetBoolean());
        Assert.Equal(id, Assert.Single(found.GetProperty("requests").EnumerateArray()).Str("id"));
    }

    [Fact]
    public async Task AnonymousOnlyRequest_CompletesWithoutCallingMiso()
    {
        var client = app.ClientFor(TestKeys.All);
        var id = await Erasures.CreateAsync(client, [], "\"only-anonymous-x\"");
        var done = (await Erasures.WaitForAsync(client, [id], "completed"))[id];
        Assert.Equal("suppressed_only", Assert.Single(done.GetProperty("subjects").EnumerateArray()).Str("status"));
        await using var db = app.NewDb();
        Assert.Equal(0, await db.WorkItems.CountAsync(w => w.RequestId == Guid.Parse(id)));
    }

    [Fact]
    public async Task CancelledBeforeExecution_CausesNoCall()
    {
        var client = app.ClientFor(TestKeys.All);
        var cancelled = await Erasures.CreateAsync(client, ["cancel-before-call"]);
        await (await client.PostJsonAsync($"/api/v1/erasure-requests/{cancelled}/cancel", """{"reason": "mistake"}""")).JsonAsync(HttpStatusCode.OK);
        var later = await Erasures.CreateAsync(client, ["after-the-cancel"]);
        await Erasures.WaitForAsync(client, [later], "completed");

        var calls = await app.Inspector.GetCallsAsync(null, 100_000);
        Assert.Contains(calls, c => c.UserIds.Contains("after-the-cancel"));
        Assert.DoesNotContain(calls, c => c.UserIds.Contains("cancel-before-call"));
        Assert.Equal("cancelled", (await (await client.GetAsync($"/api/v1/erasure-requests/{cancelled}")).JsonAsync(HttpStatusCode.OK)).Str("status"));
    }
}
