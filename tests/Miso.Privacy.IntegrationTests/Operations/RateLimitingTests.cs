using System.Net;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Operations;

/// <summary>A bucket of three calls refilled at one a second: small enough to exhaust in a test, slow enough not to refill mid-test.</summary>
public sealed class RateLimitedApp : PrivacyApp
{
    public RateLimitedApp()
    {
        ExtraSettings["RateLimiting:PermitsPerSecond"] = "1";
        ExtraSettings["RateLimiting:Burst"] = "3";
    }
}

public sealed class RateLimitingTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    const string List = "/api/v1/erasure-requests?limit=1";

    [Fact]
    public async Task AKeyOverItsLimit_Gets429WithRetryAfter_WhileOtherKeysAndHealthAreUnaffected()
    {
        using var reader = app.ClientFor(TestKeys.Reader);
        var refused = await ExhaustAsync(reader, List);

        await refused.ProblemAsync(HttpStatusCode.TooManyRequests, "rate_limit");
        var retryAfter = Assert.Single(refused.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter), 1, 60);

        using var other = app.ClientFor(TestKeys.All);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(List)).StatusCode);

        // Probes and the Miso-compatible routes are outside the limit, even when sent with the exhausted key.
        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/health/live")).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await reader.PostAsync("/v1/interactions", null)).StatusCode);
    }

    [Fact]
    public async Task UnknownKeys_ShareOneBucket_SoMadeUpKeysCannotDodgeTheLimit()
    {
        var refused = await ExhaustAsync(null, List, attempt => $"made-up-key-{attempt}");

        await refused.ProblemAsync(HttpStatusCode.TooManyRequests, "rate_limit");
        Assert.True(refused.Headers.Contains("Retry-After"));
        using var known = app.ClientFor(TestKeys.Reports);
        Assert.Equal(HttpStatusCode.OK, (await known.GetAsync("/api/v1/audit/verify")).StatusCode);
    }

    /// <summary>Calls until refused; the bucket holds three, so a refusal must come within a few calls.</summary>
    async Task<HttpResponseMessage> ExhaustAsync(HttpClient? client, string url, Func<int, string>? keyFor = null)
    {
        using var anonymous = app.CreateClient();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (keyFor is not null)
                request.Headers.Add("X-Api-Key", keyFor(attempt));
            var response = await (client ?? anonymous).SendAsync(request);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                return response;
            Assert.Equal(keyFor is null ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.Fail("No call was refused within 20 calls on a bucket of 3 refilled once a second.");
        return null!;
    }
}
