using System.Net;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Erasure;

/// <summary>Every management route × no key, an unknown key, a key without the scope, and the right scope.</summary>
public sealed class ScopeMatrixTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    public static TheoryData<string, string, string, string> Routes() => new()
    {
        { "POST", "/api/v1/erasure-requests", """{"user_ids": ["scope-x"], "requested_by": "t"}""", "erasure:write" },
        { "GET", "/api/v1/erasure-requests", "", "erasure:read" },
        { "GET", $"/api/v1/erasure-requests/{Guid.Empty}", "", "erasure:read" },
        { "POST", $"/api/v1/erasure-requests/{Guid.Empty}/cancel", """{"reason": "x"}""", "erasure:write" },
        { "GET", "/api/v1/subjects/user_id/scope-x", "", "erasure:read" },
        { "DELETE", "/api/v1/suppressions/user_id/never-suppressed", """{"reason": "x"}""", "suppression:write" },
        { "GET", "/api/v1/audit/verify", "", "reports:read" },
        { "POST", $"/api/v1/erasure-requests/{Guid.Empty}/retry", "", "admin" },
        { "GET", "/hangfire", "", "admin" },
    };

    static readonly Dictionary<string, TestKey> KeyFor = new()
    {
        ["erasure:write"] = TestKeys.Writer,
        ["erasure:read"] = TestKeys.Reader,
        ["reports:read"] = TestKeys.Reports,
        ["suppression:write"] = TestKeys.Suppression,
        ["admin"] = TestKeys.Admin,
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_Returns401_WithoutAKey(string method, string path, string body, string scope)
    {
        _ = scope;
        var response = await SendAsync(app.ClientFor(null), method, path, body);
        await response.ProblemAsync(HttpStatusCode.Unauthorized, "authorization");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_Returns401_ForAnUnknownKey(string method, string path, string body, string scope)
    {
        _ = scope;
        var client = app.ClientFor(null);
        client.DefaultRequestHeaders.Add("X-Api-Key", "not-a-configured-key");
        await (await SendAsync(client, method, path, body)).ProblemAsync(HttpStatusCode.Unauthorized, "authorization");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_Returns403_ForKeysWithoutTheScope(string method, string path, string body, string scope)
    {
        foreach (var (other, key) in KeyFor.Where(k => k.Key != scope).Append(new("none", TestKeys.None)))
        {
            var response = await SendAsync(app.ClientFor(key), method, path, body);
            Assert.True(HttpStatusCode.Forbidden == response.StatusCode, $"{other} key on {method} {path}: {(int)response.StatusCode}");
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_AdmitsTheKeyWithTheScope_ByBearerOrXApiKey(string method, string path, string body, string scope)
    {
        var bearer = await SendAsync(app.ClientFor(KeyFor[scope]), method, path, body);
        Assert.NotEqual(HttpStatusCode.Unauthorized, bearer.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, bearer.StatusCode);

        var header = app.ClientFor(null);
        header.DefaultRequestHeaders.Add("X-Api-Key", KeyFor[scope].Value);
        var viaHeader = await SendAsync(header, method, path, body);
        Assert.NotEqual(HttpStatusCode.Unauthorized, viaHeader.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, viaHeader.StatusCode);
    }

    static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string body) => method switch
    {
        "GET" => client.GetAsync(path),
        "POST" => client.PostJsonAsync(path, body),
        "DELETE" => client.DeleteJsonAsync(path, body),
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };
}
