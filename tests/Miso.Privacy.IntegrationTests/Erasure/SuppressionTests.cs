using System.Net;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Erasure;

public sealed class SuppressionTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    const string Requests = "/api/v1/erasure-requests";

    [Fact]
    public async Task Cancel_LiftsOnlyTheSuppressionsNoOtherRequestCovers()
    {
        var client = app.ClientFor(TestKeys.All);
        var a = (await (await client.PostJsonAsync(Requests, """{"user_ids": ["shared-u", "only-a"], "anonymous_ids": ["only-a-anon"], "requested_by": "t"}""")).JsonAsync(HttpStatusCode.Created)).Str("id");
        await (await client.PostJsonAsync(Requests, """{"user_ids": ["shared-u"], "requested_by": "t"}""")).JsonAsync(HttpStatusCode.Created);

        await (await client.PostJsonAsync($"{Requests}/{a}/cancel", """{"reason": "duplicate"}""")).JsonAsync(HttpStatusCode.OK);

        Assert.True(await SuppressedAsync(client, "user_id", "shared-u"));
        Assert.False(await SuppressedAsync(client, "user_id", "only-a"));
        Assert.False(await SuppressedAsync(client, "anonymous_id", "only-a-anon"));
    }

    [Fact]
    public async Task Lookup_FindsTheCoveringRequests_ByRawId()
    {
        var client = app.ClientFor(TestKeys.All);
        var first = (await (await client.PostJsonAsync(Requests, """{"user_ids": ["look/me up"], "requested_by": "t"}""")).JsonAsync(HttpStatusCode.Created)).Str("id");
        var second = (await (await client.PostJsonAsync(Requests, """{"user_ids": ["look/me up"], "regulation": "ccpa", "requested_by": "t"}""")).JsonAsync(HttpStatusCode.Created)).Str("id");

        var found = await (await client.GetAsync($"/api/v1/subjects/user_id/{Uri.EscapeDataString("look/me up")}")).JsonAsync(HttpStatusCode.OK);
        Assert.True(found.GetProperty("suppressed").GetBoolean());
        Assert.Equal([second, first], found.GetProperty("requests").EnumerateArray().Select(r => r.Str("id")));
        Assert.DoesNotContain("look/me up", found.GetRawText());

        var other = await (await client.GetAsync("/api/v1/subjects/anonymous_id/look%2Fme%20up")).JsonAsync(HttpStatusCode.OK);
        Assert.False(other.GetProperty("suppressed").GetBoolean());
        Assert.Empty(other.GetProperty("requests").EnumerateArray());
    }

    [Theory]
    [InlineData("/api/v1/subjects/email/x", "kind")]
    [InlineData("/api/v1/subjects/user_id/%20", "value")]
    public async Task Lookup_Returns400NamingThePart_ForBadPaths(string path, string field) =>
        await (await app.ClientFor(TestKeys.All).GetAsync(path)).ProblemAsync(HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task Lift_RequiresAReason_AuditsIt_AndUnsuppresses()
    {
        var client = app.ClientFor(TestKeys.All);
        await (await client.PostJsonAsync(Requests, """{"user_ids": ["came-back"], "requested_by": "t"}""")).JsonAsync(HttpStatusCode.Created);

        await (await client.DeleteJsonAsync("/api/v1/suppressions/user_id/came-back", "{}")).ProblemAsync(HttpStatusCode.BadRequest, "reason");
        Assert.True(await SuppressedAsync(client, "user_id", "came-back"));

        var lifted = await (await client.DeleteJsonAsync("/api/v1/suppressions/user_id/came-back", """{"reason": "re-registered with consent"}"""))
            .JsonAsync(HttpStatusCode.OK);
        Assert.False(await SuppressedAsync(client, "user_id", "came-back"));
        await (await client.DeleteJsonAsync("/api/v1/suppressions/user_id/came-back", """{"reason": "again"}""")).ProblemAsync(HttpStatusCode.NotFound, "value");

        await using var db = app.NewDb();
        var hash = Convert.FromHexString(lifted.Str("hash"));
        var audit = db.AuditEvents.Single(e => e.Action == "suppression.lifted" && e.SubjectHash == hash);
        Assert.Equal(TestKeys.All.Name, audit.Actor);
        Assert.Contains("re-registered with consent", audit.Details);
    }

    [Fact]
    public async Task Create_SuppressesAgain_AfterALift()
    {
        var client = app.ClientFor(TestKeys.All);
        await client.PostJsonAsync(Requests, """{"user_ids": ["again"], "requested_by": "t"}""");
        await client.DeleteJsonAsync("/api/v1/suppressions/user_id/again", """{"reason": "consent"}""");
        await (await client.PostJsonAsync(Requests, """{"user_ids": ["again"], "requested_by": "t"}""")).JsonAsync(HttpStatusCode.Created);
        Assert.True(await SuppressedAsync(client, "user_id", "again"));
    }

    static async Task<bool> SuppressedAsync(HttpClient client, string kind, string value) =>
        (await (await client.GetAsync($"/api/v1/subjects/{kind}/{Uri.EscapeDataString(value)}")).JsonAsync(HttpStatusCode.OK))
            .GetProperty("suppressed").GetBoolean();
}
