using System.Text.Json;

namespace Miso.Emulator.Interactions;

/// <summary>One stored record: the original JSON bytes exactly as accepted.</summary>
readonly record struct StoredInteraction(long Sequence, byte[] Json);

/// <summary>
/// Per-environment store, indexed by user_id so deletes touch only the listed users. Only the raw bytes are kept
/// (ids are not duplicated as strings), which keeps the footprint close to the uploaded JSON size. It also counts
/// interactions per product, which the engine routes rank by.
/// </summary>
sealed class InteractionStore
{
    readonly Lock _gate = new();
    readonly Dictionary<string, List<StoredInteraction>> _byUser = new(StringComparer.Ordinal);
    readonly List<StoredInteraction> _withoutUser = [];
    readonly Dictionary<string, int> _perProduct = new(StringComparer.Ordinal);
    long _sequence;
    int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add(IReadOnlyList<InteractionRecord> records)
    {
        lock (_gate)
        {
            foreach (var record in records)
            {
                var stored = new StoredInteraction(++_sequence, record.Json);
                if (record.UserId is null)
                    _withoutUser.Add(stored);
                else if (_byUser.TryGetValue(record.UserId, out var list))
                    list.Add(stored);
                else
                    _byUser[record.UserId] = [stored];
                foreach (var productId in record.ProductIds)
                    _perProduct[productId] = _perProduct.GetValueOrDefault(productId) + 1;
            }
            _count += records.Count;
        }
    }

    public int DeleteUsers(IEnumerable<string> userIds)
    {
        var removed = 0;
        lock (_gate)
        {
            foreach (var userId in userIds)
            {
                if (!_byUser.Remove(userId, out var list))
                    continue;
                removed += list.Count;
                foreach (var productId in list.SelectMany(s => ProductIds(s.Json)))
                {
                    if (_perProduct[productId] == 1) _perProduct.Remove(productId);
                    else _perProduct[productId]--;
                }
            }
            _count -= removed;
        }
        return removed;
    }

    public List<StoredInteraction> Query(string? userId, string? anonymousId)
    {
        List<StoredInteraction> candidates;
        lock (_gate)
        {
            candidates = userId is null
                ? [.. _byUser.Values.SelectMany(l => l), .. _withoutUser]
                : [.. _byUser.GetValueOrDefault(userId) ?? []];
        }
        return anonymousId is null ? candidates : candidates.Where(s => AnonymousId(s.Json) == anonymousId).ToList();
    }

    /// <summary>How many stored interactions name each product.</summary>
    public Dictionary<string, int> InteractionsPerProduct()
    {
        lock (_gate)
            return new Dictionary<string, int>(_perProduct, StringComparer.Ordinal);
    }

    /// <summary>The products a user interacted with, the most recent interaction first.</summary>
    public List<string> ProductsOf(string userId)
    {
        StoredInteraction[] stored;
        lock (_gate)
            stored = [.. _byUser.GetValueOrDefault(userId) ?? []];
        return stored.Reverse().SelectMany(s => ProductIds(s.Json)).Distinct(StringComparer.Ordinal).ToList();
    }

    public void Clear()
    {
        lock (_gate)
        {
            _byUser.Clear();
            _withoutUser.Clear();
            _perProduct.Clear();
            _count = 0;
        }
    }

    static string? AnonymousId(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("anonymous_id", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
    }

    static List<string> ProductIds(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return InteractionRecord.ProductIdsOf(document.RootElement);
    }
}
