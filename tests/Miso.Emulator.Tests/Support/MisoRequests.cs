using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Miso.Emulator.Tests.Support;

public static class MisoRequests
{
    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, string json, string? key = null) =>
        client.SendAsync(Request(HttpMethod.Post, "v1/interactions", json, key ?? EmulatorSettings.Production.SecretKey));

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, IEnumerable<JsonNode> records, string? key = null) =>
        client.UploadAsync(Batch(records), key);

    public static Task<HttpResponseMessage> DeleteInteractionsAsync(this HttpClient client, string json, string? key = null) =>
        client.SendAsync(Request(HttpMethod.Delete, "v1/interactions", json, key ?? EmulatorSettings.Production.SecretKey));

    public static Task<HttpResponseMessage> DeleteInteractionsAsync(this HttpClient client, IEnumerable<string> userIds, string? key = null) =>
        client.DeleteInteractionsAsync(new JsonObject { ["user_ids"] = new JsonArray([.. userIds.Select(id => JsonValue.Create(id))]) }.ToJsonString(), key);

    /// <summary>A Miso call with a JSON body (none when <paramref name="json"/> is null), the key in <c>api_key</c>.</summary>
    public static async Task<HttpResponseMessage> CallAsync(this HttpClient client, HttpMethod method, string path, string? json, string? key = null)
    {
        using var request = Request(method, path, json ?? "", key ?? EmulatorSettings.Production.SecretKey);
        if (json is null)
            request.Content = null;
        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string path, string json, string? key = null) =>
        client.CallAsync(HttpMethod.Post, path, json, key);

    public static HttpRequestMessage Request(HttpMethod method, string path, string json, string? key) =>
        new(method, key is null ? path : $"{path}{(path.Contains('?') ? '&' : '?')}api_key={Uri.EscapeDataString(key)}")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };

    public static string Batch(IEnumerable<JsonNode> records) =>
        new JsonObject { ["data"] = new JsonArray([.. records.Select(r => r.DeepClone())]) }.ToJsonString();

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static JsonObject ValidRecord(int index, string? userId = null) => new()
    {
        ["type"] = "product_detail_page_view",
        ["user_id"] = userId ?? $"user-{index}",
        ["product_ids"] = new JsonArray("p-" + index),
        ["timestamp"] = "2023-01-24T14:15:22Z",
    };

    /// <summary>Five records, the one at position 3 replaced by <paramref name="invalid"/>.</summary>
    public static List<JsonNode> BatchWithInvalidAt3(JsonNode invalid) =>
        [.. Enumerable.Range(0, 5).Select(i => i == 3 ? invalid : ValidRecord(i))];
}
