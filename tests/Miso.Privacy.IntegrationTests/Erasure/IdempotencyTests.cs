using System.Net;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Erasure;

public sealed class IdempotencyTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    const string Requests = "/api/v1/erasure-requests";

    [Fact]
    public async Task Create_ReturnsSameRequest_WhenIdempotencyKeyRepeats()
    {
        var client = app.ClientFor(TestKeys.All);
        var key = Guid.NewGuid().ToString();
        const string body = """{"user_ids": ["idem-1"], "requested_by": "t"}""";
        var first = await (await client.PostJsonAsync(Requests, body, key)).JsonAsync(HttpStatusCode.Created);
        var replay = await (await client.PostJsonAsync(Requests, """{ "requested_by": "t", "user_ids": ["idem-1"] }""", key)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(first.Str("id"), replay.Str("id"));
        Assert.Equal(1, await CountWithKeyAsync(key));
    }

    [Fact]
    public async Task Create_Returns409_WhenIdempotencyKeyRepeatsWithADifferentBody()
    {
        var client = app.ClientFor(TestKeys.All);
        var key = Guid.NewGuid().ToString();
        await (await client.PostJsonAsync(Requests, """{"user_ids": ["idem-2"], "requested_by": "t"}""", key)).JsonAsync(HttpStatusCode.Created);
        await (await client.PostJsonAsync(Requests, """{"user_ids": ["idem-other"], "requested_by": "t"}""", key))
            .ProblemAsync(HttpStatusCode.Conflict, "Idempotency-Key");
        Assert.Equal(1, await CountWithKeyAsync(key));
    }

    [Fact]
    public async Task Create_ScopesIdempotencyKeysToTheApiKey()
    {
        var key = Guid.NewGuid().ToString();
        const string body = """{"user_ids": ["idem-3"], "requested_by": "t"}""";
        var a = await (await app.ClientFor(TestKeys.All).PostJsonAsync(Requests, body, key)).JsonAsync(HttpStatusCode.Created);
        var b = await (await app.ClientFor(TestKeys.Writer).PostJsonAsync(Requests, body, key)).JsonAsync(HttpStatusCode.Created);
        Assert.NotEqual(a.Str("id"), b.Str("id"));
    }

    [Fact]
    public async Task Create_MakesOneRequest_WhenTwentyCallsRaceWithOneKey()
    {
        var key = Guid.NewGuid().ToString();
        const string body = """{"user_ids": ["idem-race"], "anonymous_ids": ["idem-race-anon"], "requested_by": "t"}""";
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.ClientFor(TestKeys.All).PostJsonAsync(Requests, body, key)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var ids = new HashSet<string>();
        foreach (var response in responses)
            ids.Add((await response.JsonAsync(response.StatusCode)).Str("id"));
        Assert.Single(ids);
        Assert.Equal(1, await CountWithKeyAsync(key));
    }

    async Task<int> CountWithKeyAsync(string key)
    {
        await using var db = app.NewDb();
        return db.ErasureRequests.Count(r => r.IdempotencyKey == key);
    }
}
