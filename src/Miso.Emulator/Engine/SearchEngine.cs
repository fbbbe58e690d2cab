using System.Text.Json;
using System.Text.Json.Nodes;

namespace Miso.Emulator.Engine;

/// <summary>
/// Search, autocomplete and multiple get over the catalog: a product matches a query when its text contains every
/// word of it; matches keep the person's ranking (<see cref="Catalog.RankFor"/>).
/// </summary>
static class SearchEngine
{
    public static readonly EngineRoute[] Routes =
    [
        new("search/search", "SearchRequest", Search),
        new("search/autocomplete", "AutocompleteRequest", Autocomplete),
        new("search/mget", "MultipleGetRequest", MultipleGet),
    ];

    static EngineAnswer Search(EngineRequest request)
    {
        var query = request.String("q");
        var words = Catalog.Words(query);
        var matches = Catalog.RankFor(request).Where(i => Matches(i, words)).ToList();

        var data = request.Data();
        data["products"] = Catalog.Page(request, matches);
        data["total"] = matches.Count;
        data["start"] = request.Count("start", 0);
        data["spellcheck"] = Spellcheck(query ?? "");
        data["facet_counts"] = new JsonObject { ["facet_fields"] = Facets(request, matches) };
        data["custom_assets"] = new JsonArray();
        data["boosting_rules"] = new JsonArray();
        if (request.Flag("enable_partial_match", false))
            data["partially_matched_products"] = new JsonArray();
        if (request.Body.TryGetProperty("query_product_existence", out var existence) && existence.ValueKind == JsonValueKind.Object)
            data["product_existence"] = ProductExistence(request, existence);
        return EngineAnswer.Ok(data);
    }

    static EngineAnswer Autocomplete(EngineRequest request)
    {
        var typed = request.String("q") ?? "";
        var rows = request.Count("rows", 5);
        var ranked = Catalog.RankFor(request);
        var completions = new JsonObject();
        foreach (var field in request.Strings("completion_fields", "title").Distinct(StringComparer.Ordinal))
        {
            var found = new JsonArray();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in ranked)
            {
                if (found.Count == rows)
                    break;
                foreach (var text in item.Values(field).Where(t => t.Length > 0 && seen.Add(t)))
                {
                    if (found.Count == rows || Completion(text, typed) is not { } completion)
                        continue;
                    if (field == "title")
                        completion["product"] = item.Project(request.Strings("fl"));
                    found.Add(completion);
                }
            }
            completions[field] = found;
        }

        var data = request.Data();
        data["completions"] = completions;
        return EngineAnswer.Ok(data);
    }

    static EngineAnswer MultipleGet(EngineRequest request)
    {
        var fields = request.Strings("fl", "*");
        var products = new JsonArray();
        foreach (var productId in request.Strings("product_ids"))
        {
            var record = request.Environment.Products.Find(productId);
            var product = new JsonObject { ["_found"] = record is not null };
            foreach (var (name, value) in new CatalogItem(productId, record, 0).Project(fields))
                product[name] = value?.DeepClone();
            products.Add(product);
        }

        var data = request.Data();
        data["products"] = products;
        return EngineAnswer.Ok(data);
    }

    static bool Matches(CatalogItem item, string[] words)
    {
        if (words.Length == 0)
            return true;
        var text = item.SearchText();
        return words.All(w => text.Contains(w, StringComparison.Ordinal));
    }

    /// <summary>
    /// Miso marks what it completed in <c>text_with_markups</c> and what was typed in <c>text_with_inverted_markups</c>;
    /// null when the text has no word starting with what was typed.
    /// </summary>
    static JsonObject? Completion(string text, string typed)
    {
        var at = typed.Length == 0 ? 0 : WordStart(text, typed);
        if (at < 0)
            return null;
        var end = at + typed.Length;
        return new JsonObject
        {
            ["text"] = text,
            ["text_with_markups"] = Mark(text[..at]) + text[at..end] + Mark(text[end..]),
            ["text_with_inverted_markups"] = text[..at] + Mark(text[at..end]) + text[end..],
        };
    }

    static int WordStart(string text, string typed)
    {
        for (var at = text.IndexOf(typed, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(typed, at + 1, StringComparison.OrdinalIgnoreCase))
            if (at == 0 || !char.IsLetterOrDigit(text[at - 1]))
                return at;
        return -1;
    }

    static string Mark(string text) => text.Length == 0 ? "" : $"<mark>{text}</mark>";

    static JsonObject Spellcheck(string query) => new()
    {
        ["spelling_errors"] = false,
        ["auto_spelling_correction"] = false,
        ["original_query"] = query,
        ["original_query_with_markups"] = query,
        ["corrected_query"] = query,
        ["corrected_query_with_markups"] = query,
    };

    /// <summary><c>facets</c> (field names or <c>{"field", "alias", "size"}</c>) counted over all matches, most frequent first.</summary>
    static JsonObject Facets(EngineRequest request, List<CatalogItem> matches)
    {
        var facets = new JsonObject();
        if (!request.Body.TryGetProperty("facets", out var requested) || requested.ValueKind != JsonValueKind.Array)
            return facets;
        foreach (var facet in requested.EnumerateArray())
        {
            var (field, name, size) = facet.ValueKind == JsonValueKind.String
                ? (facet.GetString()!, facet.GetString()!, 10)
                : (facet.GetProperty("field").GetString()!,
                    facet.TryGetProperty("alias", out var alias) && alias.ValueKind == JsonValueKind.String ? alias.GetString()! : facet.GetProperty("field").GetString()!,
                    facet.TryGetProperty("size", out var given) && given.ValueKind == JsonValueKind.Number ? (int)Math.Clamp(given.GetDouble(), 0, 10_000) : 10);
            var counts = matches.SelectMany(m => m.Values(field).Distinct(StringComparer.Ordinal))
                .GroupBy(v => v, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(size)
                .Select(g => (JsonNode)new JsonArray(g.Key, g.Count()));
            facets[name] = new JsonArray([.. counts]);
        }
        return facets;
    }

    static JsonObject ProductExistence(EngineRequest request, JsonElement existence)
    {
        var result = new JsonObject();
        foreach (var id in existence.GetProperty("product_ids").EnumerateArray().Select(i => i.GetString()!))
            result[id] = request.Environment.Products.Find(id) is not null;
        return result;
    }
}
