using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Miso.Emulator.Examples;
using Miso.Emulator.Inspection;
using Miso.Emulator.Schemas;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.IntegrationTests.Telemetry;
using static Miso.Privacy.IntegrationTests.Forwarding.ForwardingApp;

namespace Miso.Privacy.IntegrationTests.Forwarding;

/// <summary>Miso's whole API through the service: every route reaches the key's environment, answered as Miso answers.</summary>
public sealed class PassThroughTests(ForwardingApp app) : IClassFixture<ForwardingApp>
{
    /// <summary>The routes the service answers itself (erasure requests); they have their own tests.</summary>
    public static readonly string[] AnsweredByTheService = ["DELETE /v1/interactions", "DELETE /v1/users/{user_id}", "POST /v1/users/_delete"];

    [Fact]
    public async Task EveryPathAndMethodOfMisosDocument_ThroughTheService_GetsTheBytesTheEmulatorAnswers()
    {
        // Both environments hold the same data; the emulator is asked straight with development's key and through
        // the service with production's, so the two answers must be the same bytes.
        using var direct = app.Emulator.CreateClient();
        var questionId = await SeededAsync();
        using var service = app.CreateClient();
        var operations = MisoOpenApi.Instance.Operations().Select(o => o.ToString()).ToList();
        Assert.Equal(26, operations.Count);
        Assert.All(AnsweredByTheService, o => Assert.Contains(o, operations));

        foreach (var operation in operations.Except(AnsweredByTheService))
        {
            var before = (await app.Inspector.GetCallsAsync("production", 100_000)).Count;
            using var expected = await direct.SendAsync(MisoExamples.Request(operation, questionId, DevelopmentSecret));
            using var actual = await service.SendAsync(MisoExamples.Request(operation, questionId, Secret));

            Assert.True(expected.IsSuccessStatusCode, $"{operation}: the emulator answered {(int)expected.StatusCode}; the walk proves nothing");
            Assert.True(expected.StatusCode == actual.StatusCode, $"{operation}: {(int)actual.StatusCode} through the service, {(int)expected.StatusCode} from Miso");
            var (want, got) = (await expected.Content.ReadAsByteArrayAsync(), await actual.Content.ReadAsByteArrayAsync());
            Assert.True(want.AsSpan().SequenceEqual(got), $"{operation}: through the service\n{Encoding.UTF8.GetString(got)}\nfrom Miso\n{Encoding.UTF8.GetString(want)}");
            Assert.Equal(expected.Content.Headers.ContentType?.MediaType, actual.Content.Headers.ContentType?.MediaType);
            var calls = await app.Inspector.GetCallsAsync("production", 100_000);
            Assert.True(calls.Count == before + 1, $"{operation}: production got {calls.Count - before} calls");
        }
    }

    [Fact]
    public async Task AnErasedUsersSearchAndRecommendations_ReachMisoWithoutAnyOfTheirIds_AndAreAnsweredAsAnyonesAre()
    {
        await SeededAsync();
        var (erased, anonymous, other) = (NewId("erased-search"), NewId("erased-anon"), NewId("kept-search"));
        await app.EraseInAsync(erased, "production");

        foreach (var path in new[] { "/v1/search/search", "/v1/recommendation/user_to_products", "/v1/search/autocomplete", "/v1/ask/questions" })
        {
            var body = path switch
            {
                "/v1/ask/questions" => """{"question": "Which shirt?", """,
                "/v1/recommendation/user_to_products" => """{"rows": 2, """,
                _ => """{"q": "shirt", """,
            };
            var theirs = await SendAsync(path, body + Ids(erased, anonymous, "abc123"), Secret);
            var anyones = await SendAsync(path, body + Ids(other, null, "def456"), Secret);

            Assert.Equal(anyones.Response.StatusCode, theirs.Response.StatusCode);
            Assert.Equal(HttpStatusCode.OK, theirs.Response.StatusCode);
            Assert.Equal(Shape(anyones.Body), Shape(theirs.Body));
            Assert.Equal(anyones.Response.Headers.Select(h => h.Key).Order(), theirs.Response.Headers.Select(h => h.Key).Order());
            Assert.False(theirs.Call.Names(erased) || theirs.Call.Names(anonymous), $"{path}: Miso heard the erased person's ids");
            Assert.Empty(theirs.Call.UserHashes);
            // Someone else's request goes on as the bytes it came as.
            Assert.True(anyones.Call.Names(other));
            Assert.Equal(["def456"], anyones.Call.UserHashes);
            Assert.Equal(Encoding.UTF8.GetByteCount(body + Ids(other, null, "def456")), anyones.Call.BodySize);
        }

        // Counted by environment and route family, and nowhere by whom.
        var metrics = await app.CreateClient().GetStringAsync("/metrics");
        var samples = PrometheusText.Parse(metrics);
        foreach (var (family, least) in new[] { ("search", 2), ("recommendation", 1), ("ask", 1) })
            Assert.True(samples.Named("miso_privacy_forwarding_requests_anonymised_total", ("environment", "production"), ("route_family", family))
                .Sum(s => s.Value) >= least, family);
        Assert.DoesNotContain(erased, metrics);
        Assert.DoesNotContain(anonymous, metrics);
    }

    [Fact]
    public async Task WithAPublishableKey_AnErasedUsersHashedRequest_IsAnsweredLikeAnyone_AndMisoHearsNoId()
    {
        var (erased, other) = (NewId("erased-browser"), NewId("kept-browser"));
        await app.EraseInAsync(erased, "production");

        var theirs = await SendAsync("/v1/recommendation/user_to_trending", "{" + Ids(erased, null, Hash(erased)), Publishable, "https://shop.example");
        var anyones = await SendAsync("/v1/recommendation/user_to_trending", "{" + Ids(other, null, Hash(other)), Publishable, "https://shop.example");

        await anyones.Response.JsonAsync(HttpStatusCode.OK);
        await theirs.Response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(Shape(anyones.Body), Shape(theirs.Body));
        Assert.Equal("*", Assert.Single(theirs.Response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.False(theirs.Call.Names(erased));
        Assert.Empty(theirs.Call.UserHashes);
        AssertNoDroppedCount(theirs.Response);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-their-hash")]
    public async Task WithAPublishableKey_AnUnprovenRequestNamingAnErasedUser_IsRefusedByMisoAsAnyonesIs_WithoutTheirId(string? hash)
    {
        var (erased, other) = (NewId("erased-unproven"), NewId("kept-unproven"));
        await app.EraseInAsync(erased, "production");
        string Body(string user) => "{\"q\": \"shirt\", \"user_id\": " + JsonSerializer.Serialize(user)
            + (hash is null ? "" : ", \"user_hash\": " + JsonSerializer.Serialize(hash)) + "}";

        var theirs = await SendAsync("/v1/search/search", Body(erased), Publishable);
        var anyones = await SendAsync("/v1/search/search", Body(other), Publishable);

        Assert.Equal(HttpStatusCode.Forbidden, anyones.Response.StatusCode);
        Assert.Equal(anyones.Response.StatusCode, theirs.Response.StatusCode);
        Assert.Equal(anyones.Body.GetRawText(), theirs.Body.GetRawText());
        Assert.False(theirs.Call.Names(erased));
        Assert.DoesNotContain(hash ?? "-", theirs.Call.UserHashes);
    }

    [Fact]
    public async Task InABulkCall_OnlyTheInnerRequestsNamingAnErasedPerson_LoseTheirIds()
    {
        var (erased, other) = (NewId("erased-bulk"), NewId("kept-bulk"));
        await app.EraseInAsync(erased, "production");
        var body = $$$"""
            {"requests": [
              {"api_name": "search/search", "body": {"q": "shoe", {{{Ids(erased, "bulk-anon", "h1")}}}},
              {"api_name": "recommendation/user_to_products", "body": {"rows": 1, {{{Ids(other, null, "h2")}}}},
              {"api_name": "search/autocomplete", "body": {"q": "sh"}}
            ]}
            """;
        var sent = await SendAsync("/v1/bulk", body, Secret);

        var answer = await sent.Response.JsonAsync(HttpStatusCode.OK);
        Assert.All(answer.GetProperty("data").EnumerateArray(), a => Assert.Equal(200, a.GetProperty("status_code").GetInt32()));
        Assert.False(sent.Call.Names(erased));
        Assert.DoesNotContain("bulk-anon", sent.Call.AnonymousIds);
        Assert.Contains(other, sent.Call.UserIds);
        Assert.Equal(["h2"], sent.Call.UserHashes);
    }

    [Fact]
    public async Task ADevelopmentErasure_StripsNothingInProduction()
    {
        var user = NewId("erased-in-development");
        await app.EraseInAsync(user, "development");

        var production = await SendAsync("/v1/search/search", """{"q": "shirt", """ + Ids(user, null, "h"), Secret);
        var development = await SendAsync("/v1/search/search", """{"q": "shirt", """ + Ids(user, null, "h"), DevelopmentSecret, environment: "development");

        await production.Response.JsonAsync(HttpStatusCode.OK);
        Assert.True(production.Call.Names(user));
        Assert.False(development.Call.Names(user));
    }

    [Fact]
    public async Task AnUnknownKey_GetsMisos401_AndNothingIsForwarded()
    {
        var before = (await app.Inspector.GetCallsAsync(null, 100_000)).Count;
        using var client = app.CreateClient();

        var search = await client.PostJsonAsync("/v1/search/search?api_key=not-a-key", """{"q": "x"}""");
        var products = await client.GetAsync("/v1/products/_ids");
        var events = await client.PostJsonAsync("/v1/experiments/exp/events?api_key=nope", """{"user_id": "u"}""");
        using var management = app.Management;
        var managementKey = await management.PostJsonAsync("/v1/recommendation/user_to_trending", "{}");

        Assert.Equal("invalid api key.", (await search.JsonAsync(HttpStatusCode.Unauthorized)).Str("message"));
        Assert.Equal("invalid api key.", (await products.JsonAsync(HttpStatusCode.Unauthorized)).Str("message"));
        Assert.Equal("api_key is invalid. Please check your api_key in Dojo.", (await events.JsonAsync(HttpStatusCode.Unauthorized)).Str("message"));
        Assert.Equal("invalid api key.", (await managementKey.JsonAsync(HttpStatusCode.Unauthorized)).Str("message"));
        Assert.Equal(before, (await app.Inspector.GetCallsAsync(null, 100_000)).Count);
    }

    [Fact]
    public async Task Preflight_ForAnEngineRoute_IsAnswered_AndASecretKeyFromABrowserIsRefused()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/search/search");
        preflight.Headers.Add("Origin", "https://shop.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-api-key");
        var response = await app.CreateClient().SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("x-api-key", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant());

        var before = (await app.Inspector.GetCallsAsync(null, 100_000)).Count;
        var leaked = new HttpRequestMessage(HttpMethod.Post, "/v1/search/search") { Content = new StringContent("""{"q": "x"}""", Encoding.UTF8, "application/json") };
        leaked.Headers.Add("X-API-KEY", Secret);
        leaked.Headers.Add("Origin", "https://shop.example");
        var refused = await app.CreateClient().SendAsync(leaked);
        Assert.Contains("Secret API keys", (await refused.JsonAsync(HttpStatusCode.Forbidden)).Str("message"));
        Assert.Equal(before, (await app.Inspector.GetCallsAsync(null, 100_000)).Count);
    }

    [Theory]
    [InlineData("""{"q": "x", "user_id": "a""")]
    [InlineData("""{"q": "x"} trailing""")]
    [InlineData("""{"q": "x", "user_id": NaN}""")]
    public async Task AnEngineBodyThatIsNotJson_IsRefusedInMisosShape_AndNothingIsForwarded(string body)
    {
        var before = (await app.Inspector.GetCallsAsync(null, 100_000)).Count;
        var response = await app.CreateClient().SendAsync(Post("/v1/search/search", body, Secret));

        var detail = (await response.JsonAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("detail")[0];
        Assert.Equal("value_error.jsondecode", detail.Str("type"));
        Assert.Equal(before, (await app.Inspector.GetCallsAsync(null, 100_000)).Count);
    }

    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ForwardingApp, Task<string>> Seeded = new();

    /// <summary>Both environments seeded alike, once per app: the walk compares them, so no test may seed one alone.</summary>
    Task<string> SeededAsync() => Seeded.GetValue(app, async _ =>
    {
        using var direct = app.Emulator.CreateClient();
        var questionId = await MisoExamples.SeedAsync(direct, DevelopmentSecret);
        Assert.Equal(questionId, await MisoExamples.SeedAsync(direct, Secret));
        return questionId;
    });

    static string Ids(string userId, string? anonymousId, string hash) =>
        $"\"user_id\": {JsonSerializer.Serialize(userId)}, " + (anonymousId is null ? "" : $"\"anonymous_id\": {JsonSerializer.Serialize(anonymousId)}, ")
        + $"\"user_hash\": \"{hash}\"}}";

    static string Hash(string userId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(userId)));

    static HttpRequestMessage Post(string path, string body, string key, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-KEY", key);
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }

    async Task<(HttpResponseMessage Response, JsonElement Body, EmulatorCall Call)> SendAsync(
        string path, string body, string key, string? origin = null, string environment = "production")
    {
        var response = await app.CreateClient().SendAsync(Post(path, body, key, origin));
        var answer = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        var call = (await app.Inspector.GetCallsAsync(environment, 100_000)).Last(c => c.Path == path);
        return (response, answer, call);
    }

    /// <summary>The answer's property names and value kinds, values aside: what tells one kind of answer from another.</summary>
    static string Shape(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().Select(p => p.Name + ":" + Shape(p.Value))) + "}",
        JsonValueKind.Array => "[" + (element.GetArrayLength() > 0 ? Shape(element[0]) : "") + "]",
        _ => element.ValueKind.ToString(),
    };
}
