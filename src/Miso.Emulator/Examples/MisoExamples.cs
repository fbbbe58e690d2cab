using System.Text;
using System.Text.Json;

namespace Miso.Emulator.Examples;

/// <summary>
/// A valid request for each path and method of Miso's OpenAPI document (keyed like <c>POST /v1/search/search</c>),
/// naming a user, an anonymous visitor and a user hash where the schema allows, and the data that makes every one
/// of them succeed: for tests that walk Miso's whole API, on the emulator or through a proxy in front of it.
/// </summary>
public static class MisoExamples
{
    public const string UserId = "walk-user";
    public const string AnonymousId = "walk-anon";
    public const string UserHash = "walk-hash";
    const string Ids = $"\"user_id\": \"{UserId}\", \"anonymous_id\": \"{AnonymousId}\", \"user_hash\": \"{UserHash}\"";

    public const string Products = """
        {"data": [
          {"product_id": "shoe-1", "title": "Red running shoe", "categories": [["Shoes", "Running"]], "tags": ["red"], "brand": "Acme",
           "html": "<p>The red shoe is made of leather.</p>", "enable_question_answering": true},
          {"product_id": "shirt-1", "title": "Blue cotton shirt", "categories": [["Shirts"]], "tags": ["blue"], "brand": "Bco",
           "html": "<p>The blue shirt is made of cotton.</p>", "enable_question_answering": true},
          {"product_id": "hat-1", "title": "Green hat", "categories": [["Hats"]], "brand": "Acme"}
        ]}
        """;

    public const string AskedQuestion = $$"""{"question": "Which shirt is made of cotton?", {{Ids}}}""";

    /// <summary>Operation → path to call, relative to the base address (<c>{question_id}</c> is the id <see cref="SeedAsync"/> returns), and body.</summary>
    public static readonly IReadOnlyDictionary<string, (string Path, string? Body)> Requests = new Dictionary<string, (string, string?)>
    {
        ["POST /v1/interactions"] = ("v1/interactions", $$"""{"data": [{"type": "product_detail_page_view", "user_id": "{{UserId}}", "anonymous_id": "{{AnonymousId}}", "product_ids": ["shoe-1"]}]}"""),
        ["DELETE /v1/interactions"] = ("v1/interactions", $$"""{"user_ids": ["{{UserId}}"]}"""),
        ["POST /v1/products"] = ("v1/products", """{"data": [{"product_id": "walk-product", "title": "Walk product"}]}"""),
        ["GET /v1/products/{product_id}"] = ("v1/products/shoe-1", null),
        ["DELETE /v1/products/{product_id}"] = ("v1/products/hat-1", null),
        ["GET /v1/products/_ids"] = ("v1/products/_ids", null),
        ["POST /v1/products/_delete"] = ("v1/products/_delete", """{"data": {"product_ids": ["hat-1"]}}"""),
        ["POST /v1/users"] = ("v1/users", $$"""{"data": [{"user_id": "{{UserId}}", "city": "Oslo", "age": 40}]}"""),
        ["GET /v1/users/{user_id}"] = ("v1/users/seed-user", null),
        ["DELETE /v1/users/{user_id}"] = ("v1/users/seed-user", null),
        ["POST /v1/users/_delete"] = ("v1/users/_delete", $$$"""{"data": {"user_ids": ["{{{UserId}}}"]}}"""),
        ["POST /v1/search/search"] = ("v1/search/search", $$"""{"q": "shirt", "fl": ["title"], "facets": ["brand"], {{Ids}}}"""),
        ["POST /v1/search/autocomplete"] = ("v1/search/autocomplete", $$"""{"q": "bl", {{Ids}}}"""),
        ["POST /v1/search/mget"] = ("v1/search/mget", $$"""{"product_ids": ["shoe-1", "missing"], {{Ids}}}"""),
        ["POST /v1/recommendation/user_to_products"] = ("v1/recommendation/user_to_products", $$"""{"rows": 2, "fl": ["title"], {{Ids}}}"""),
        ["POST /v1/recommendation/user_to_categories"] = ("v1/recommendation/user_to_categories", $$"""{"products_per_category": 2, {{Ids}}}"""),
        ["POST /v1/recommendation/user_to_attributes"] = ("v1/recommendation/user_to_attributes", $$"""{"field": "brand", {{Ids}}}"""),
        ["POST /v1/recommendation/user_to_trending"] = ("v1/recommendation/user_to_trending", "{" + Ids + "}"),
        ["POST /v1/recommendation/product_to_products"] = ("v1/recommendation/product_to_products", $$"""{"product_id": "shoe-1", {{Ids}}}"""),
        ["POST /v1/ask/questions"] = ("v1/ask/questions", AskedQuestion),
        ["GET /v1/ask/questions/{question_id}/answer"] = ("v1/ask/questions/{question_id}/answer", null),
        ["POST /v1/bulk"] = ("v1/bulk", $$$"""
            {"requests": [
              {"api_name": "search/search", "body": {"q": "shoe", {{{Ids}}}}},
              {"api_name": "recommendation/user_to_products", "body": {"anonymous_id": "{{{AnonymousId}}}"}}
            ]}
            """),
        ["POST /v1/experiments/{experiment_id_or_slug}/events"] = ("v1/experiments/walk-experiment/events", $$"""{"user_id": "{{UserId}}"}"""),
        ["POST /v1/qa/question_answering"] = ("v1/qa/question_answering", """{"q": "shirt cotton", "min_probability": 0.3}"""),
        ["POST /v1/qa/questions"] = ("v1/qa/questions", """{"data": [{"question": "What is cotton?"}, {"question": "What is leather?", "weight": 2}]}"""),
        ["POST /v1/qa/question_autocomplete"] = ("v1/qa/question_autocomplete", """{"q": "what"}"""),
    };

    /// <summary>Stores the example catalog, a user, interactions, a question bank and an asked question; returns the question's id.</summary>
    public static async Task<string> SeedAsync(HttpClient client, string? key = null)
    {
        key ??= EmulatorSettings.Production.SecretKey;
        await PostAsync(client, "v1/products", Products, key);
        await PostAsync(client, "v1/users", """{"data": [{"user_id": "seed-user", "city": "Bergen"}]}""", key);
        await PostAsync(client, "v1/interactions", """
            {"data": [
              {"type": "product_detail_page_view", "user_id": "seed-user", "product_ids": ["shirt-1"]},
              {"type": "add_to_cart", "anonymous_id": "seed-anon", "product_ids": ["shirt-1", "shoe-1"]}
            ]}
            """, key);
        await PostAsync(client, "v1/qa/questions", """{"data": [{"question": "What is a shirt?"}]}""", key);
        var asked = await PostAsync(client, "v1/ask/questions", AskedQuestion, key);
        return asked.GetProperty("data").GetProperty("question_id").GetString()!;
    }

    /// <summary>The example request of an operation, its key (if any) in <c>api_key</c>.</summary>
    public static HttpRequestMessage Request(string operation, string questionId, string? key)
    {
        var (path, body) = Requests[operation];
        return Request(new HttpMethod(operation.Split(' ')[0]), path.Replace("{question_id}", questionId), body, key);
    }

    static HttpRequestMessage Request(HttpMethod method, string path, string? body, string? key) =>
        new(method, key is null ? path : $"{path}?api_key={Uri.EscapeDataString(key)}")
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };

    static async Task<JsonElement> PostAsync(HttpClient client, string path, string body, string key)
    {
        using var request = Request(HttpMethod.Post, path, body, key);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
