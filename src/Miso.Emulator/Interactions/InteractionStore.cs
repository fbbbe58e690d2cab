using System.Text.Json;

namespace Miso.Emulator.Interactions;

/// <summary>One stored record: the original JSON bytes exactly as accepted.</summary>
internal readonly record struct StoredInteraction(long Sequence, byte[] Json);

/// <summary>
/// Per-environment store, indexed by user_id so deletes touch only the listed users. Only the raw bytes are kept
/// (ids are not duplicated as strings), which keeps the footprint close to the uploaded JSON size.
/// </summary>
internal sealed class InteractionStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<StoredInteraction>> byUser = new(StringComparer.Ordinal);
    private readonly List<StoredInteraction> withoutUser = [];
    private long sequence;
    private int count;

    public int Count => Volatile.Read(ref count);

    public void Add(IReadOnlyList<InteractionRecord> records)
    {
        lock (gate)
        {
            foreach (var record in records)
            {
                var stored = new StoredInteraction(++sequence, record.Json);
                if (record.UserId is null)
                    withoutUser.Add(stored);
                else if (byUser.TryGetValue(record.UserId, out var list))
                    list.Add(stored);
                else
                    byUser[record.UserId] = [stored];
            }
            count += records.Count;
        }
    }

    public int DeleteUsers(IEnumerable<string> userIds)
    {
        var removed = 0;
        lock (gate)
        {
            foreach (var userId in userIds)
            {
                if (byUser.Remove(userId, out var list))
                    removed += list.Count;
            }
            count -= removed;
        }
        return removed;
    }

    public List<StoredInteraction> Query(string? userId, string? anonymousId)
    {
        List<StoredInteraction> candidates;
        lock (gate)
        {
            candidates = userId is null
                ? [.. byUser.Values.SelectMany(l => l), .. withoutUser]
                : [.. byUser.GetValueOrDefault(userId) ?? []];
        }
        return anonymousId is null ? candidates : candidates.Where(s => AnonymousId(s.Json) == anonymousId).ToList();
    }

    public void Clear()
    {
        lock (gate)
        {
            byUser.Clear();
            withoutUser.Clear();
            count = 0;
        }
    }

    private static string? AnonymousId(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("anonymous_id", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
    }
}
