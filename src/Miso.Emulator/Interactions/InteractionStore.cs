namespace Miso.Emulator.Interactions;

/// <summary>One stored record: the original JSON bytes exactly as accepted.</summary>
internal sealed record StoredInteraction(long Sequence, string? UserId, string? AnonymousId, byte[] Json);

/// <summary>Per-environment store, indexed by user_id so deletes touch only the listed users.</summary>
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
                var userId = record.UserId;
                var stored = new StoredInteraction(++sequence, userId, record.AnonymousId, record.Json);
                if (userId is null)
                    withoutUser.Add(stored);
                else if (byUser.TryGetValue(userId, out var list))
                    list.Add(stored);
                else
                    byUser[userId] = [stored];
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
        lock (gate)
        {
            IEnumerable<StoredInteraction> candidates = userId is null
                ? byUser.Values.SelectMany(l => l).Concat(withoutUser)
                : byUser.GetValueOrDefault(userId) ?? [];
            if (anonymousId is not null)
                candidates = candidates.Where(s => s.AnonymousId == anonymousId);
            return candidates.ToList();
        }
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
}
