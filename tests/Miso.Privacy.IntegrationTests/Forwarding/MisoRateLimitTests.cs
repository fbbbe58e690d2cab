using System.Net;
using Miso.Privacy.IntegrationTests.Infrastructure;
using static Miso.Privacy.IntegrationTests.Forwarding.ForwardingApp;

namespace Miso.Privacy.IntegrationTests.Forwarding;

/// <summary>A bucket of three calls per Miso key refilled at one a second: small enough to exhaust in a test.</summary>
public sealed class MisoRateLimitedApp : ForwardingApp
{
    public MisoRateLimitedApp()
    {
        ExtraSettings["Forwarding:RateLimit:PermitsPerSecond"] = "1";
        ExtraSettings["Forwarding:RateLimit:Burst"] = "3";
    }
}

public sealed class MisoRateLimitTests(MisoRateLimitedApp app) : IClassFixture<MisoRateLimitedApp>
{
    [Fact]
    public async Task AMisoKeyOverItsLimit_Gets429InMisosShape_WithRetryAfter_AndNothingIsForwarded()
    {
        var user = NewId("over-the-limit");
        var (refused, accepted) = await ExhaustAsync(() => app.UploadAsync(Upload(Record(user)), Publishable));

        Assert.Contains("Too many requests", (await refused.JsonAsync(HttpStatusCode.TooManyRequests)).Str("message"));
        Assert.Equal("application/json; charset=utf-8", refused.Content.Headers.ContentType!.ToString());
        Assert.InRange(int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After"))), 1, 60);
        Assert.InRange(accepted, 3, 19);
        Assert.Equal(accepted, (await app.Inspector.GetCallsAsync("production", 100_000)).Count(c => c.Names(user)));

        // Another key, even of the same environment, has its own bucket; and so has the management API.
        Assert.Equal(0, await app.UploadOkAsync(Upload(Record(NewId("other-key"))), Secret));
        await (await app.Management.GetAsync("/api/v1/erasure-requests?limit=1")).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task UnknownKeys_ShareTheirAddressesBucket_SoMadeUpKeysCannotDodgeIt()
    {
        var attempt = 0;
        var (refused, _) = await ExhaustAsync(() => app.UploadAsync(Upload(Record("x")), $"made-up-key-{attempt++}"));

        Assert.Contains("Too many requests", (await refused.JsonAsync(HttpStatusCode.TooManyRequests)).Str("message"));
        Assert.True(refused.Headers.Contains("Retry-After"));
        Assert.Equal(0, await app.UploadOkAsync(Upload(Record(NewId("known-key"))), DevelopmentSecret));
    }

    [Fact]
    public async Task MisoDeletes_AreLimitedPerKey_Too()
    {
        var before = await app.CountAsync("erasure_requests");
        var (refused, _) = await ExhaustAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, "/v1/interactions")
            {
                Content = new StringContent($$"""{"user_ids": ["{{NewId("limited-delete")}}"]}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-API-KEY", DevelopmentPublishable);
            return await app.CreateClient().SendAsync(request);
        });

        Assert.Contains("Too many requests", (await refused.JsonAsync(HttpStatusCode.TooManyRequests)).Str("message"));
        Assert.Equal(before, await app.CountAsync("erasure_requests"));
    }

    [Fact]
    public async Task PassedThroughRoutes_AreLimitedPerKey_Too_AndARefusedCallIsNotForwarded()
    {
        var (refused, accepted) = await ExhaustAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/search/search")
            {
                Content = new StringContent("""{"q": "limited"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-API-KEY", DevelopmentPublishable);
            return await app.CreateClient().SendAsync(request);
        });

        Assert.Contains("Too many requests", (await refused.JsonAsync(HttpStatusCode.TooManyRequests)).Str("message"));
        Assert.True(refused.Headers.Contains("Retry-After"));
        Assert.Equal(accepted, (await app.Inspector.GetCallsAsync("development", 100_000)).Count(c => c.Path == "/v1/search/search"));
    }

    /// <summary>Calls until refused, counting the calls let through; the bucket holds three, so a refusal must come within a few.</summary>
    static async Task<(HttpResponseMessage Refused, int Accepted)> ExhaustAsync(Func<Task<HttpResponseMessage>> call)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var response = await call();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                return (response, attempt);
        }
        Assert.Fail("Twenty calls in a row were never refused.");
        return (null!, 0);
    }
}
