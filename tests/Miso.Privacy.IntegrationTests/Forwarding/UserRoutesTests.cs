using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.IntegrationTests.Infrastructure;
using static Miso.Privacy.IntegrationTests.Forwarding.ForwardingApp;

namespace Miso.Privacy.IntegrationTests.Forwarding;

/// <summary>Miso's user routes through the service: uploads filtered, deletes taken as erasure requests, suppressed users unknown to reads.</summary>
public sealed class UserRoutesTests(ForwardingApp app) : IClassFixture<ForwardingApp>
{
    [Fact]
    public async Task AnErasedUsersRecord_IsDroppedFromAUserUpload_AndTheRestIsStoredAsSent()
    {
        var (erased, kept) = (NewId("erased-profile"), NewId("kept-profile"));
        await app.EraseInAsync(erased, "production");
        var keptRecord = $$"""{"user_id": "{{kept}}", "city": "Oslo",   "age": 40}""";

        var response = await SendAsync(HttpMethod.Post, "/v1/users", Users($$"""{"user_id": "{{erased}}", "city": "Bergen"}""", keptRecord), Secret);

        var answer = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("success", answer.Str("message"));
        Assert.Matches("^[0-9a-f]{32}$", answer.GetProperty("data").Str("task_id"));
        Assert.Equal(1, Dropped(response));
        var stored = (await app.Inspector.GetUsersAsync("production")).Select(u => u.Str("user_id")).ToList();
        Assert.Contains(kept, stored);
        Assert.DoesNotContain(erased, stored);
        var call = (await app.Inspector.GetCallsAsync("production", 100_000)).Last(c => c.Path == "/v1/users");
        Assert.False(call.Names(erased));
        Assert.Equal(Encoding.UTF8.GetByteCount(Users(keptRecord)), call.BodySize);
    }

    [Fact]
    public async Task AUserUploadWhoseOnlyRecordIsErased_IsAnsweredByMiso_WithNoRecord()
    {
        var erased = NewId("only-erased-profile");
        await app.EraseInAsync(erased, "production");

        var response = await SendAsync(HttpMethod.Post, "/v1/users", Users($$"""{"user_id": "{{erased}}"}"""), Secret);

        Assert.Equal("success", (await response.JsonAsync(HttpStatusCode.OK)).Str("message"));
        var call = (await app.Inspector.GetCallsAsync("production", 100_000)).Last(c => c.Path == "/v1/users");
        Assert.Empty(call.UserIds);
    }

    [Fact]
    public async Task MisosSchemaErrors_PointAtTheCallersPositions()
    {
        var erased = NewId("erased-before-bad");
        await app.EraseInAsync(erased, "production");

        var response = await SendAsync(HttpMethod.Post, "/v1/users",
            Users($$"""{"user_id": "{{erased}}"}""", $$"""{"user_id": "{{NewId("bad")}}", "age": "forty"}"""), Secret);

        var errors = (await response.JsonAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("data").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.StartsWith("data.1.", e));
    }

    [Theory]
    [InlineData("POST", "/v1/users", """{"data": [{"user_id": "x"}]}""")]
    [InlineData("POST", "/v1/users/_delete", """{"data": {"user_ids": ["x"]}}""")]
    [InlineData("DELETE", "/v1/users/x", null)]
    [InlineData("GET", "/v1/users/x", null)]
    public async Task APublishableKey_GetsMisosRefusal_AndMisoHearsNothing(string method, string path, string? body)
    {
        using var direct = app.Emulator.CreateClient();
        using var expected = await direct.SendAsync(Request(new HttpMethod(method), path.TrimStart('/'), body, DevelopmentPublishable));
        var before = (await app.Inspector.GetCallsAsync("production", 100_000)).Count;

        var response = await SendAsync(new HttpMethod(method), path, body, Publishable);

        Assert.Equal(HttpStatusCode.Forbidden, expected.StatusCode);
        Assert.Equal(expected.StatusCode, response.StatusCode);
        Assert.Equal(await expected.Content.ReadAsStringAsync(), await response.Content.ReadAsStringAsync());
        Assert.Equal(before, (await app.Inspector.GetCallsAsync("production", 100_000)).Count);
    }

    [Fact]
    public async Task UserDeleteList_BecomesAnErasureRequest_InTheKeysEnvironment_AndTheUserIsThenUnknownToReads()
    {
        var user = NewId("deleted-profile");
        await SendAsync(HttpMethod.Post, "/v1/users", Users($$"""{"user_id": "{{user}}"}"""), Secret);
        var before = (await app.Inspector.GetCallsAsync("production", 100_000)).Count;

        var response = await SendAsync(HttpMethod.Post, "/v1/users/_delete", $$$"""{"data": {"user_ids": ["{{{user}}}"]}}""", Secret);

        var answer = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("deleted", answer.Str("message"));
        var requestId = Guid.Parse(answer.GetProperty("data").Str("task_id"));
        Assert.Equal($"/api/v1/erasure-requests/{requestId}", response.Headers.Location!.ToString());
        await AssertRequestAsync(requestId, "production");

        var read = await SendAsync(HttpMethod.Get, $"/v1/users/{user}", null, Secret);
        Assert.Equal("not found", (await read.JsonAsync(HttpStatusCode.NotFound)).Str("message"));
        Assert.Equal(1, Dropped(await SendAsync(HttpMethod.Post, "/v1/users", Users($$"""{"user_id": "{{user}}"}"""), Secret)));
        var calls = await app.Inspector.GetCallsAsync("production", 100_000);
        Assert.DoesNotContain(calls.Skip(before), c => c.Names(user));
    }

    [Fact]
    public async Task UserDeleteOne_WithADevelopmentKey_ErasesInDevelopmentOnly()
    {
        var user = NewId("dev-deleted-profile");
        await SendAsync(HttpMethod.Post, "/v1/users", Users($$"""{"user_id": "{{user}}"}"""), Secret);

        var response = await SendAsync(HttpMethod.Delete, $"/v1/users/{Uri.EscapeDataString(user)}", null, DevelopmentSecret);

        var requestId = Guid.Parse((await response.JsonAsync(HttpStatusCode.OK)).GetProperty("data").Str("task_id"));
        await AssertRequestAsync(requestId, "development");
        var read = await SendAsync(HttpMethod.Get, $"/v1/users/{Uri.EscapeDataString(user)}", null, Secret);
        Assert.Equal(user, (await read.JsonAsync(HttpStatusCode.OK)).GetProperty("data").Str("user_id"));
    }

    [Theory]
    [InlineData("""{"user_ids": ["x"]}""", "data")]
    [InlineData("""{"data": {"user_ids": "x"}}""", "user_ids")]
    [InlineData("""{"data": {"user_ids": [7]}}""", "0")]
    [InlineData("""{"data": {"user_ids": []}}""", "user_ids")]
    public async Task AMalformedUserDelete_GetsMisos422_AndCreatesNothing(string body, string lastLoc)
    {
        await using var db = app.NewDb();
        var requests = await db.ErasureRequests.CountAsync();

        var response = await SendAsync(HttpMethod.Post, "/v1/users/_delete", body, Secret);

        var issue = (await response.JsonAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("detail")[0];
        Assert.Equal(lastLoc, issue.GetProperty("loc").EnumerateArray().Last().ToString());
        Assert.Equal(requests, await db.ErasureRequests.CountAsync());
    }

    async Task AssertRequestAsync(Guid requestId, string environment)
    {
        using var management = app.Management;
        var request = await (await management.GetAsync($"/api/v1/erasure-requests/{requestId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("miso-api", request.Str("requested_by"));
        Assert.Equal($"miso-api:{environment}", request.GetProperty("timeline")[0].Str("actor"));
        Assert.Equal([environment], request.GetProperty("environments").EnumerateArray().Select(e => e.Str("environment")));
    }

    static string Users(params string[] records) => "{\"data\": [" + string.Join(", ", records) + "]}";

    static HttpRequestMessage Request(HttpMethod method, string path, string? body, string key)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-KEY", key);
        return request;
    }

    Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body, string key) =>
        app.CreateClient().SendAsync(Request(method, path, body, key));
}
