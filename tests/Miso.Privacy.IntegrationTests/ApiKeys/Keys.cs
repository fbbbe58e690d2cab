using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.ApiKeys;

/// <summary>Calls of the key API, as an operator would make them with the configured every-scope key.</summary>
public static class Keys
{
    public const string Path = "/api/v1/keys";

    public static async Task<JsonElement> CreateAsync(HttpClient admin, string name, string[] scopes, DateTimeOffset? expiresAt = null)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["name"] = name,
            ["scopes"] = scopes,
            ["expires_at"] = expiresAt?.ToString("O"),
        });
        return await (await admin.PostJsonAsync(Path, body)).JsonAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonElement[]> ListAsync(HttpClient admin) =>
        (await (await admin.GetAsync(Path)).JsonAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray().ToArray();

    public static async Task<JsonElement> ItemAsync(HttpClient admin, string id) =>
        Assert.Single(await ListAsync(admin), k => k.Str("id") == id);

    public static HttpClient With(this PrivacyApp app, string key)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A call only erasure:read allows, so its status says whether the key was taken.</summary>
    public static async Task<HttpStatusCode> ReadAsync(HttpClient client) =>
        (await client.GetAsync("/api/v1/erasure-requests?limit=1")).StatusCode;
}
