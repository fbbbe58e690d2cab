using System.Net;
using System.Security.Cryptography;
using System.Text;
using Miso.Emulator.Examples;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Keys;

/// <summary>Which routes a publishable key may call, and the user_hash a publishable key must prove a user_id with.</summary>
public sealed class RouteKeyTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    const string Forbidden =
        "Request is denied due to bot blocking. Please only access this API from a real browser or use Secret API Key instead.";

    static readonly HashSet<string> SecretOnly =
    [
        "DELETE /v1/interactions",
        "POST /v1/products", "GET /v1/products/{product_id}", "DELETE /v1/products/{product_id}", "GET /v1/products/_ids", "POST /v1/products/_delete",
        "POST /v1/users", "GET /v1/users/{user_id}", "DELETE /v1/users/{user_id}", "POST /v1/users/_delete",
        "POST /v1/qa/questions",
    ];

    public static TheoryData<string> Operations => MisoDocument.OperationNames();

    public static string Hash(string id, string secretKey = "emu-production-secret-key") =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(id)));

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task PublishableKey_Gets403OnDataRoutes_And200OnBrowserRoutes(string name)
    {
        var questionId = await MisoExamples.SeedAsync(Client);
        using var request = MisoExamples.Request(name, questionId, Production.PublishableKey);
        if (request.Content is not null)
        {
            var body = (await request.Content.ReadAsStringAsync()).Replace(MisoExamples.UserHash, Hash(MisoExamples.UserId));
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Client.SendAsync(request);

        if (SecretOnly.Contains(name))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal(Forbidden, (await response.JsonAsync()).GetProperty("message").GetString());
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task SecretOnlyRoutes_ChangeNothing_WhenKeyIsPublishable()
    {
        await MisoExamples.SeedAsync(Client);

        (await Client.CallAsync(HttpMethod.Delete, "v1/products/shoe-1", null, Production.PublishableKey)).Dispose();
        (await Client.CallAsync(HttpMethod.Delete, "v1/users/seed-user", null, Production.PublishableKey)).Dispose();
        (await Client.PostAsync("v1/qa/questions", """{"data": [{"question": "Replaced?"}]}""", Production.PublishableKey)).Dispose();

        Assert.Equal(3, (await Inspector.GetProductsAsync()).Count);
        Assert.Single(await Inspector.GetUsersAsync());
        using var bank = await Client.PostAsync("v1/qa/question_autocomplete", """{"q": "shirt"}""");
        Assert.Equal(1, (await bank.JsonAsync()).GetProperty("data").GetProperty("completions").GetArrayLength());
    }

    [Theory]
    [InlineData("v1/search/search", """{"q": "shirt", "user_id": "u1"}""")]
    [InlineData("v1/recommendation/user_to_products", """{"user_id": "u1"}""")]
    [InlineData("v1/search/mget", """{"product_ids": ["a"], "user_id": "u1", "anonymous_id": "a1"}""")]
    [InlineData("v1/ask/questions", """{"question": "why?", "user_id": "u1"}""")]
    public async Task PublishableKey_Gets403_WhenUserIdComesWithoutUserHash(string path, string body)
    {
        using var response = await Client.PostAsync(path, body, Production.PublishableKey);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("user_hash is required with user_id when using a publishable API key.", (await response.JsonAsync()).GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("""{"user_id": "u1", "user_hash": "0000"}""")]
    [InlineData("""{"user_id": "u2", "user_hash": "HASH(u1)"}""")]
    [InlineData("""{"anonymous_id": "a1", "user_hash": "HASH(u1)"}""")]
    [InlineData("""{"user_hash": "HASH(u1)"}""")]
    [InlineData("""{"user_id": "u1", "user_hash": "HASH-DEVELOPMENT(u1)"}""")]
    public async Task PublishableKey_Gets403_WhenUserHashDoesNotProveTheId(string body)
    {
        body = body.Replace("HASH(u1)", Hash("u1")).Replace("HASH-DEVELOPMENT(u1)", Hash("u1", Development.SecretKey));

        using var response = await Client.PostAsync("v1/recommendation/user_to_products", body, Production.PublishableKey);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("user_hash is invalid.", (await response.JsonAsync()).GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("""{"user_id": "u1", "user_hash": "HASH(u1)"}""")]
    [InlineData("""{"user_id": "u1", "anonymous_id": "a1", "user_hash": "HASH(u1)"}""")]
    [InlineData("""{"user_id": "u1", "user_hash": "UPPER(u1)"}""")]
    [InlineData("""{"anonymous_id": "a1", "user_hash": "HASH(a1)"}""")]
    [InlineData("""{"anonymous_id": "a1"}""")]
    [InlineData("""{}""")]
    public async Task PublishableKey_IsServed_WhenTheIdIsProvenOrAnonymous(string body)
    {
        body = body.Replace("HASH(u1)", Hash("u1")).Replace("UPPER(u1)", Hash("u1").ToUpperInvariant()).Replace("HASH(a1)", Hash("a1"));

        using var response = await Client.PostAsync("v1/recommendation/user_to_products", body, Production.PublishableKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SecretKey_NeedsNoUserHash()
    {
        using var response = await Client.PostAsync("v1/search/search", """{"q": "x", "user_id": "u1", "user_hash": "anything"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ExperimentEvents_TakeAPublishableKey_WithoutUserHash_AsMisoDocumentsForBrowsers()
    {
        using var response = await Client.PostAsync("v1/experiments/e1/events", """{"user_id": "anon-1"}""", Production.PublishableKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Bulk_AppliesTheUserHashRuleToEachInnerRequest()
    {
        var body = """
            {"requests": [
              {"api_name": "search/search", "body": {"q": "x", "user_id": "u1"}},
              {"api_name": "search/search", "body": {"q": "x", "user_id": "u1", "user_hash": "HASH"}}
            ]}
            """.Replace("HASH", Hash("u1"));

        using var response = await Client.PostAsync("v1/bulk", body, Production.PublishableKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answers = (await response.JsonAsync()).GetProperty("data");
        Assert.Equal([403, 200], answers.EnumerateArray().Select(a => a.GetProperty("status_code").GetInt32()));
        Assert.True(answers[0].GetProperty("error").GetBoolean());
    }

    [Fact]
    public async Task ExperimentEvents_WordTheir401AsMisoDocuments()
    {
        using var response = await Client.PostAsync("v1/experiments/e1/events", """{"user_id": "u1"}""", "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("api_key is invalid. Please check your api_key in Dojo.", (await response.JsonAsync()).GetProperty("message").GetString());
    }
}
