using System.Text.Json;
using System.Text.Json.Nodes;

namespace Miso.Emulator.Engine;

/// <summary>Miso's recommendation APIs, all drawn from the person's ranking (<see cref="Catalog.RankFor"/>).</summary>
static class Recommendations
{
    const char PathSeparator = '\u001f';

    public static readonly EngineRoute[] Routes =
    [
        new("recommendation/user_to_products", "UserToItemsRequest", UserToProducts),
        new("recommendation/user_to_trending", "UserToItemsRequest", UserToTrending),
        new("recommendation/product_to_products", "YMALRequest", ProductToProducts),
        new("recommendation/user_to_categories", "UserToCategories", UserToCategories),
        new("recommendation/user_to_attributes", "UserToAttributes", UserToAttributes),
    ];

    static EngineAnswer UserToProducts(EngineRequest request) => Products(request, Catalog.RankFor(request));

    // Trending leaves out what the user already interacted with, as Miso's does.
    static EngineAnswer UserToTrending(EngineRequest request) => Products(request, Catalog.RankFor(request, ownProductsFirst: false));

    /// <summary>Products sharing a category, tag or product group with the anchors come first; the anchors never.</summary>
    static EngineAnswer ProductToProducts(EngineRequest request)
    {
        var ranked = Catalog.RankFor(request);
        var anchorIds = request.Strings("product_ids").Append(request.String("product_id")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var anchorGroups = request.Strings("product_group_ids").Append(request.String("product_group_id")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var anchors = ranked.Where(i => anchorIds.Contains(i.ProductId) || (i.Text("product_group_id") is { } group && anchorGroups.Contains(group))).ToList();
        var shared = anchors.SelectMany(Traits).ToHashSet(StringComparer.Ordinal);
        var others = ranked.Except(anchors).ToList();
        return Products(request, [.. others.Where(i => Traits(i).Any(shared.Contains)), .. others.Where(i => !Traits(i).Any(shared.Contains))]);
    }

    static EngineAnswer UserToCategories(EngineRequest request)
    {
        var root = request.Strings("root_category");
        var groups = Groups(Catalog.RankFor(request), item => CategoryPaths(item, root));

        var categoriesAnswer = new JsonArray();
        foreach (var (key, items) in groups.Take(request.Count("rows", 5)))
            categoriesAnswer.Add(new JsonObject
            {
                ["category"] = new JsonArray([.. key.Split(PathSeparator).Select(s => JsonValue.Create(s))]),
                ["total"] = items.Count,
                ["recommended_products"] = Catalog.Projected(request, items.Take(request.Count("products_per_category", 5))),
            });
        var data = request.Data();
        data["categories"] = categoriesAnswer;
        return EngineAnswer.Ok(data);
    }

    /// <summary>Values of <c>field</c> in ranking order, <c>boost_attributes</c> first and <c>exclude_attributes</c> left out.</summary>
    static EngineAnswer UserToAttributes(EngineRequest request)
    {
        var field = request.String("field")!;
        var boosted = request.Strings("boost_attributes");
        var excluded = request.Strings("exclude_attributes").ToHashSet(StringComparer.Ordinal);
        var groups = Groups(Catalog.RankFor(request), item => item.Values(field).Where(v => !excluded.Contains(v)));
        var ordered = groups.Where(g => boosted.Contains(g.Key)).OrderBy(g => boosted.IndexOf(g.Key)).Concat(groups.Where(g => !boosted.Contains(g.Key)));

        var attributes = new JsonArray();
        foreach (var (value, items) in ordered.Take(request.Count("rows", 5)))
            attributes.Add(new JsonObject
            {
                ["value"] = value,
                ["total"] = items.Count,
                ["recommended_products"] = Catalog.Projected(request, items.Take(request.Count("products_per_attribute", 2))),
            });
        var data = request.Data();
        data["attributes"] = attributes;
        return EngineAnswer.Ok(data);
    }

    static EngineAnswer Products(EngineRequest request, IEnumerable<CatalogItem> items)
    {
        var data = request.Data();
        data["products"] = Catalog.Page(request, items);
        return EngineAnswer.Ok(data);
    }

    /// <summary>The item's category paths under <paramref name="root"/>, each joined into one key.</summary>
    static IEnumerable<string> CategoryPaths(CatalogItem item, List<string> root)
    {
        if (item.Record is not { } record || !record.TryGetProperty("categories", out var categories) || categories.ValueKind != JsonValueKind.Array)
            return [];
        return categories.EnumerateArray()
            .Where(path => path.ValueKind == JsonValueKind.Array)
            .Select(path => path.EnumerateArray().Select(s => s.GetString() ?? "").ToList())
            .Where(path => path.Count > 0 && path.Take(root.Count).SequenceEqual(root))
            .Select(path => string.Join(PathSeparator, path));
    }

    static IEnumerable<string> Traits(CatalogItem item) =>
        item.Values("categories").Concat(item.Values("tags")).Concat(item.Values("product_group_id"));

    /// <summary>Items grouped by each key they have, groups in the order of their first item.</summary>
    static List<KeyValuePair<string, List<CatalogItem>>> Groups(IEnumerable<CatalogItem> ranked, Func<CatalogItem, IEnumerable<string>> keys)
    {
        var groups = new List<KeyValuePair<string, List<CatalogItem>>>();
        var byKey = new Dictionary<string, List<CatalogItem>>(StringComparer.Ordinal);
        foreach (var item in ranked)
        {
            foreach (var key in keys(item).Distinct(StringComparer.Ordinal))
            {
                if (!byKey.TryGetValue(key, out var items))
                {
                    byKey[key] = items = [];
                    groups.Add(new(key, items));
                }
                items.Add(item);
            }
        }
        return groups;
    }
}
