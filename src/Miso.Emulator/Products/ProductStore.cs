using System.Collections.Concurrent;
using System.Text.Json;

namespace Miso.Emulator.Products;

/// <summary>Product records by product_id, each kept as its own JSON copy for the engine routes to read.</summary>
sealed class ProductStore
{
    readonly ConcurrentDictionary<string, JsonElement> _products = new(StringComparer.Ordinal);

    public int Count => _products.Count;

    public void Upsert(JsonElement record) => _products[record.GetProperty("product_id").GetString()!] = record.Clone();

    public JsonElement? Find(string productId) => _products.TryGetValue(productId, out var record) ? record : null;

    public int Delete(IEnumerable<string> productIds) => productIds.Count(id => _products.TryRemove(id, out _));

    /// <summary>Every product, ordered by product_id.</summary>
    public List<KeyValuePair<string, JsonElement>> All() => _products.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();

    public void Clear() => _products.Clear();
}
