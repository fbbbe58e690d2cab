using System.Net;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;
using static Miso.Privacy.IntegrationTests.Forwarding.ForwardingApp;

namespace Miso.Privacy.IntegrationTests.Forwarding;

/// <summary>The service with Hangfire workers, which carry the requests out at the emulator.</summary>
public sealed class ExecutingForwardingApp : ForwardingApp
{
    public ExecutingForwardingApp() => ExtraSettings.Remove("Execution:RunServer");
}

/// <summary>Miso's delete call through the service.</summary>
public sealed class DeleteInteractionsTests(ExecutingForwardingApp app) : IClassFixture<ExecutingForwardingApp>
{
    [Fact]
    public async Task MisoDelete_BecomesAnAuditedErasureRequest_ThatCompletesAtMiso_InItsKeysEnvironmentOnly()
    {
        var user = NewId("sdk-delete");
        await app.SeedInteractionsAsync([user]);

        var response = await DeleteAsync($$"""{"user_ids": ["{{user}}"]}""", Secret);

        Assert.Equal("success", (await response.JsonAsync(HttpStatusCode.OK)).Str("message"));
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith("/api/v1/erasure-requests/", location);
        using var management = app.ClientFor(TestKeys.All);
        var id = location.Split('/').Last();
        var done = (await Erasures.WaitForAsync(management, [id], "completed"))[id];
        Assert.Equal("other", done.Str("regulation"));
        Assert.Equal("erase", done.Str("type"));
        Assert.Equal("miso-api", done.Str("requested_by"));
        Assert.Equal("miso-api:production", done.GetProperty("timeline")[0].Str("actor"));
        Assert.Equal(["production"], done.GetProperty("environments").EnumerateArray().Select(e => e.Str("environment")));
        Assert.Empty(await app.Inspector.GetInteractionsAsync("production", userId: user));
        // Miso's own delete with a production key never touches development; neither does ours.
        Assert.Single(await app.Inspector.GetInteractionsAsync("development", userId: user));
    }

    [Fact]
    public async Task MisoDelete_SuppressesAtOnce_InItsKeysEnvironment()
    {
        var user = NewId("sdk-suppressed");
        await (await DeleteAsync($$"""{"user_ids": ["{{user}}"]}""", Secret)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(1, await app.UploadOkAsync(Upload(Record(user)), Secret));
        var browser = await app.UploadAsync(Upload(Record(user)), Publishable);
        await browser.JsonAsync(HttpStatusCode.OK);
        AssertNoDroppedCount(browser);
        Assert.Empty(await app.StoredForUserAsync(user));
    }

    [Fact]
    public async Task DevelopmentKey_CannotCauseAnyWorkOrSuppressionInProduction()
    {
        var victim = NewId("victim-prod");
        await app.SeedInteractionsAsync([victim]);

        var response = await DeleteAsync($$"""{"user_ids": ["{{victim}}"]}""", DevelopmentSecret);

        await response.JsonAsync(HttpStatusCode.OK);
        var id = response.Headers.Location!.ToString().Split('/').Last();
        using var management = app.ClientFor(TestKeys.All);
        var done = (await Erasures.WaitForAsync(management, [id], "completed"))[id];
        Assert.Equal("miso-api:development", done.GetProperty("timeline")[0].Str("actor"));
        Assert.Equal(["development"], done.GetProperty("environments").EnumerateArray().Select(e => e.Str("environment")));

        await using (var db = app.NewDb())
        {
            var work = await db.WorkItems.Where(w => w.RequestId == Guid.Parse(id)).Select(w => w.Environment).ToListAsync();
            Assert.NotEmpty(work);
            Assert.All(work, e => Assert.Equal("development", e));
            var hash = Dashboard.Seed.Hasher.Hash(Subjects.SubjectKind.UserId, victim);
            var suppressed = await db.Suppressions.Where(s => s.Hash == hash && s.LiftedAt == null).Select(s => s.Environment).ToListAsync();
            Assert.Equal(["development"], suppressed);
        }

        // Production still takes the victim's uploads, and Miso's production environment never heard a delete for them.
        Assert.Equal(0, await app.UploadOkAsync(Upload(Record(victim)), Secret));
        Assert.Equal(2, (await app.StoredForUserAsync(victim)).Count);
        var productionCalls = await app.Inspector.GetCallsAsync("production", 100_000);
        Assert.DoesNotContain(productionCalls, c => CallLog.IsDelete(c) && c.Names(victim));
        Assert.Contains(await app.Inspector.GetCallsAsync("development", 100_000), c => CallLog.IsDelete(c) && c.Names(victim));
        // Development is erased and suppressed.
        Assert.Empty(await app.StoredForUserAsync(victim, "development"));
        Assert.Equal(1, await app.UploadOkAsync(Upload(Record(victim)), DevelopmentSecret));
        Assert.Empty(await app.StoredForUserAsync(victim, "development"));
        var lookup = await (await management.GetAsync($"/api/v1/subjects/user_id/{victim}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["development"], lookup.GetProperty("environments").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task PublishableKey_Gets403_AndUnknownKey401_AndNoRequestIsMade()
    {
        var before = await app.CountAsync("erasure_requests");
        await (await DeleteAsync("""{"user_ids": ["x"]}""", Publishable)).JsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal("invalid api key.", (await (await DeleteAsync("""{"user_ids": ["x"]}""", "nope")).JsonAsync(HttpStatusCode.Unauthorized)).Str("message"));
        Assert.Equal(before, await app.CountAsync("erasure_requests"));
    }

    [Theory]
    [InlineData("""{"user_ids": "x"}""", "type_error.list")]
    [InlineData("""{"ids": ["x"]}""", "value_error.missing")]
    [InlineData("""{"user_ids": ["x", 3]}""", "type_error.str")]
    [InlineData("""{"user_ids": [""]}""", "value_error")]
    [InlineData("""{"user_ids": []}""", "value_error")]
    [InlineData("""{"user_ids": [""", "value_error.jsondecode")]
    public async Task MalformedBody_Gets422_InFastApisShape(string body, string type)
    {
        var before = await app.CountAsync("erasure_requests");
        var answer = await (await DeleteAsync(body, Secret)).JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(type, answer.GetProperty("detail")[0].Str("type"));
        Assert.Equal("body", answer.GetProperty("detail")[0].GetProperty("loc")[0].GetString());
        Assert.Equal(before, await app.CountAsync("erasure_requests"));
    }

    Task<HttpResponseMessage> DeleteAsync(string body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, "/v1/interactions")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-API-KEY", key);
        return app.CreateClient().SendAsync(request);
    }
}
