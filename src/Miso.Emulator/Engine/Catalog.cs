using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Miso.Emulator.Environments;
using Miso.Emulator.Pipeline;

namespace Miso.Emulator.Engine;

/// <summary>One product the engine routes can return: an uploaded record, or only an id that interactions name.</summary>
sealed record CatalogItem(string ProductId, JsonElement? Record, int Interactions)
{
    /// <summary><c>product_id</c> first, then the <c>fl</c> fields the record has (<c>*</c> for all).</summary>
    public JsonObject Project(IReadOnlyCollection<string> fields)
    {
        var projected = new JsonObject { ["product_id"] = ProductId };
        if (Record is not { } record)
            return projected;
        foreach (var property in record.EnumerateObject())
            if (property.Name != "product_id" && (fields.Contains("*") || fields.Contains(property.Name)))
                projected[property.Name] = JsonSerializer.SerializeToNode(property.Value);
        return projected;
    }

    /// <summary>The values of a field (dotted for nested ones, e.g. <c>custom_attributes.director</c>), lists flattened.</summary>
    public IEnumerable<string> Values(string field)
    {
        if (Record is not { } current)
            return field == "product_id" ? [ProductId] : [];
        foreach (var segment in field.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
                return [];
        }
        return Scalars(current);
    }

    public string? Text(string field) => Values(field).FirstOrDefault();

    /// <summary>Lower-case text of every string in the record but links and HTML, for simple matching.</summary>
    public string SearchText() => Record is { } record
        ? string.Join(" ", record.EnumerateObject().Where(p => p.Name is not ("url" or "cover_image" or "html")).SelectMany(p => Scalars(p.Value)).Prepend(ProductId)).ToLowerInvariant()
        : ProductId.ToLowerInvariant();

    static IEnumerable<string> Scalars(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => [value.GetRawText()],
        JsonValueKind.Array => value.EnumerateArray().SelectMany(Scalars),
        JsonValueKind.Object => value.EnumerateObject().SelectMany(p => Scalars(p.Value)),
        _ => [],
    };
}

/// <summary>
/// The ranking behind every engine answer, deterministic for a given state: the environment's products and the
/// products its interactions name, the most interacted with first; for a person (user_id, else anonymous_id) the
/// order is rotated by a stable hash of their id, and a user's own products come first. Two people get different
/// answers, and a request without ids gets the same answer as any other anonymous one.
/// </summary>
static partial class Catalog
{
    public static List<CatalogItem> Items(EnvironmentState environment)
    {
        var interactions = environment.Interactions.InteractionsPerProduct();
        var items = environment.Products.All()
            .Select(p => new CatalogItem(p.Key, p.Value, interactions.GetValueOrDefault(p.Key)))
            .ToList();
        var uploaded = items.Select(i => i.ProductId).ToHashSet(StringComparer.Ordinal);
        items.AddRange(interactions.Where(p => !uploaded.Contains(p.Key)).Select(p => new CatalogItem(p.Key, null, p.Value)));
        return items.OrderByDescending(i => i.Interactions).ThenBy(i => i.ProductId, StringComparer.Ordinal).ToList();
    }

    /// <summary>The ranking for the request's person, less excluded products and products of another <c>type</c>.</summary>
    public static List<CatalogItem> RankFor(EngineRequest request, bool ownProductsFirst = true)
    {
        var items = Items(request.Environment);
        if ((request.UserId ?? request.AnonymousId) is { } person && items.Count > 1)
        {
            var shift = (int)(StableIds.Number(person) % (uint)items.Count);
            items = [.. items.Skip(shift), .. items.Take(shift)];
        }

        if (request.UserId is { } userId)
        {
            var own = request.Environment.Interactions.ProductsOf(userId);
            var position = own.Select((id, index) => (id, index)).ToDictionary(p => p.id, p => p.index, StringComparer.Ordinal);
            items = ownProductsFirst
                ? [.. items.Where(i => position.ContainsKey(i.ProductId)).OrderBy(i => position[i.ProductId]), .. items.Where(i => !position.ContainsKey(i.ProductId))]
                : items.Where(i => !position.ContainsKey(i.ProductId)).ToList();
        }

        var excluded = request.Strings("exclude").ToHashSet(StringComparer.Ordinal);
        var type = request.String("type");
        return items.Where(i => !excluded.Contains(i.ProductId) && (type is null || i.Text("type") == type)).ToList();
    }

    /// <summary><c>rows</c> items from <c>start</c>, projected with <c>fl</c>.</summary>
    public static JsonArray Page(EngineRequest request, IEnumerable<CatalogItem> items, int defaultRows = 5) =>
        Projected(request, items.Skip(request.Count("start", 0)).Take(request.Count("rows", defaultRows)));

    public static JsonArray Projected(EngineRequest request, IEnumerable<CatalogItem> items, string flName = "fl", params string[] defaultFields)
    {
        var fields = request.Strings(flName, defaultFields);
        return new JsonArray([.. items.Select(i => i.Project(fields))]);
    }

    /// <summary>Lower-case words of a query, as the simple matching compares them.</summary>
    public static string[] Words(string? text) =>
        [.. WordPattern().Matches((text ?? "").ToLowerInvariant()).Select(m => m.Value)];

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
