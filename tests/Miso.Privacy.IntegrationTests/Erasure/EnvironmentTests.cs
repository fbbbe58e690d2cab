using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.IntegrationTests.Forwarding;
using Miso.Privacy.IntegrationTests.Infrastructure;
using static Miso.Privacy.IntegrationTests.Forwarding.ForwardingApp;

namespace Miso.Privacy.IntegrationTests.Erasure;

/// <summary>
/// A request covers the environments it names (every configured one by default): its suppression drops uploads there
/// only, and every surface says which environments a request and a suppression cover.
/// </summary>
public sealed class EnvironmentTests(ForwardingApp app) : IClassFixture<ForwardingApp>
{
    const string Requests = "/api/v1/erasure-requests";

    [Fact]
    public async Task ARequestNamingOneEnvironment_SuppressesThereOnly_AndSaysSoEverywhere()
    {
        var user = NewId("prod-only");
        var id = await app.EraseInAsync(user, "production");
        using var client = app.Management;

        Assert.Equal(1, await app.UploadOkAsync(Upload(Record(user)), Secret));
        Assert.Equal(0, await app.UploadOkAsync(Upload(Record(user)), DevelopmentSecret));
        Assert.Empty(await app.StoredForUserAsync(user));
        Assert.Single(await app.StoredForUserAsync(user, "development"));

        var detail = await (await client.GetAsync($"{Requests}/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["production"], detail.GetProperty("environments").EnumerateArray().Select(e => e.Str("environment")));
        var listed = (await (await client.GetAsync($"{Requests}?limit=500")).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Single(r => r.Str("id") == id);
        Assert.Equal(["production"], Names(listed.GetProperty("environments")));
        var lookup = await LookupAsync(client, user);
        Assert.True(lookup.GetProperty("suppressed").GetBoolean());
        Assert.Equal(["production"], Names(lookup.GetProperty("environments")));
        Assert.Equal(["production"], Names(Assert.Single(lookup.GetProperty("requests").EnumerateArray()).GetProperty("environments")));

        await using var db = app.NewDb();
        var created = await db.AuditEvents.SingleAsync(e => e.RequestId == Guid.Parse(id) && e.Action == "request.created");
        Assert.Equal(["production"], Names(JsonDocument.Parse(created.Details).RootElement.GetProperty("environments")));
    }

    [Fact]
    public async Task ARequestNamingNone_CoversEveryConfiguredEnvironment_WrittenOut()
    {
        var user = NewId("everywhere");
        using var client = app.Management;
        var created = await (await client.PostJsonAsync(Requests, $$"""{"user_ids": ["{{user}}"], "requested_by": "t"}""")).JsonAsync(HttpStatusCode.Created);

        Assert.Equal(["development", "production"], created.GetProperty("environments").EnumerateArray().Select(e => e.Str("environment")));
        Assert.Equal(1, await app.UploadOkAsync(Upload(Record(user)), Secret));
        Assert.Equal(1, await app.UploadOkAsync(Upload(Record(user)), DevelopmentSecret));
        await using var db = app.NewDb();
        var stored = await db.ErasureRequests.Where(r => r.Id == Guid.Parse(created.Str("id"))).Select(r => r.Environments).SingleAsync();
        Assert.Equal(["development", "production"], stored!);
    }

    [Fact]
    public async Task IdempotentReplay_MatchesTheSameEnvironmentsInAnyOrder_AndRefusesOthers()
    {
        using var client = app.Management;
        var key = NewId("idem");
        var user = NewId("idem-user");
        var first = await (await client.PostJsonAsync(Requests, $$"""{"user_ids": ["{{user}}"], "requested_by": "t", "environments": ["production", "development"]}""", key))
            .JsonAsync(HttpStatusCode.Created);
        var replay = await (await client.PostJsonAsync(Requests, $$"""{"user_ids": ["{{user}}"], "requested_by": "t", "environments": ["development", "production"]}""", key))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(first.Str("id"), replay.Str("id"));
        await (await client.PostJsonAsync(Requests, $$"""{"user_ids": ["{{user}}"], "requested_by": "t", "environments": ["production"]}""", key))
            .ProblemAsync(HttpStatusCode.Conflict, "Idempotency-Key");
    }

    [Fact]
    public async Task Lift_InOneEnvironment_LeavesTheOthersSuppressed_AndIsAudited()
    {
        var user = NewId("lift-one");
        await Erasures.CreateAsync(app.Management, [user]);
        using var client = app.Management;

        var lifted = await (await client.DeleteJsonAsync($"/api/v1/suppressions/user_id/{user}", """{"reason": "consent in production", "environments": ["production"]}"""))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["production"], Names(lifted.GetProperty("environments")));
        Assert.Equal(0, await app.UploadOkAsync(Upload(Record(user)), Secret));
        Assert.Equal(1, await app.UploadOkAsync(Upload(Record(user)), DevelopmentSecret));
        Assert.Equal(["development"], Names((await LookupAsync(client, user)).GetProperty("environments")));
        await (await client.DeleteJsonAsync($"/api/v1/suppressions/user_id/{user}", """{"reason": "again", "environments": ["production"]}"""))
            .ProblemAsync(HttpStatusCode.NotFound, "value");

        var rest = await (await client.DeleteJsonAsync($"/api/v1/suppressions/user_id/{user}", """{"reason": "consent everywhere"}""")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["development"], Names(rest.GetProperty("environments")));
        Assert.Equal(0, await app.UploadOkAsync(Upload(Record(user)), DevelopmentSecret));
        var lookup = await LookupAsync(client, user);
        Assert.False(lookup.GetProperty("suppressed").GetBoolean());
        Assert.Empty(lookup.GetProperty("environments").EnumerateArray());

        await using var db = app.NewDb();
        var hash = Convert.FromHexString(lifted.Str("hash"));
        var audits = await db.AuditEvents.Where(e => e.Action == "suppression.lifted" && e.SubjectHash == hash).OrderBy(e => e.Seq).ToListAsync();
        Assert.Equal([["production"], ["development"]], audits.Select(a => Names(JsonDocument.Parse(a.Details).RootElement.GetProperty("environments"))));
    }

    [Theory]
    [InlineData("""{"reason": "r", "environments": []}""", "environments")]
    [InlineData("""{"reason": "r", "environments": ["staging"]}""", "environments")]
    [InlineData("""{"reason": "r", "environments": ["production", "production"]}""", "environments")]
    [InlineData("""{"reason": "r", "environments": "production"}""", "environments")]
    [InlineData("""{"environments": ["production"]}""", "reason")]
    [InlineData("""{"reason": "r", "environment": "production"}""", "environment")]
    public async Task Lift_Refuses_ABadEnvironmentList_AndLiftsNothing(string body, string field)
    {
        var user = NewId("lift-bad");
        await Erasures.CreateAsync(app.Management, [user]);
        using var client = app.Management;

        await (await client.DeleteJsonAsync($"/api/v1/suppressions/user_id/{user}", body)).ProblemAsync(HttpStatusCode.BadRequest, field);

        Assert.Equal(["development", "production"], Names((await LookupAsync(client, user)).GetProperty("environments")));
    }

    [Fact]
    public async Task Cancel_LiftsOnlyWhereNoOtherLiveRequestCoversTheSubject()
    {
        var (shared, alone) = (NewId("cancel-shared"), NewId("cancel-alone"));
        using var client = app.Management;
        await app.EraseInAsync(shared, "production");
        var both = (await (await client.PostJsonAsync(Requests, $$"""{"user_ids": ["{{shared}}", "{{alone}}"], "requested_by": "t"}""")).JsonAsync(HttpStatusCode.Created)).Str("id");

        var cancelled = await (await client.PostJsonAsync($"{Requests}/{both}/cancel", """{"reason": "filed twice"}""")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["development", "production"], Names(cancelled.GetProperty("environments")));
        Assert.Equal(["production"], Names((await LookupAsync(client, shared)).GetProperty("environments")));
        Assert.Empty((await LookupAsync(client, alone)).GetProperty("environments").EnumerateArray());
        Assert.Equal(1, await app.UploadOkAsync(Upload(Record(shared)), Secret));
        Assert.Equal(0, await app.UploadOkAsync(Upload(Record(shared)), DevelopmentSecret));
        Assert.Equal(0, await app.UploadOkAsync(Upload(Record(alone)), Secret));
    }

    static async Task<JsonElement> LookupAsync(HttpClient client, string user) =>
        await (await client.GetAsync($"/api/v1/subjects/user_id/{Uri.EscapeDataString(user)}")).JsonAsync(HttpStatusCode.OK);

    static string[] Names(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
