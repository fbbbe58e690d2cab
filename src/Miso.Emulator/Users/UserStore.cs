using System.Collections.Concurrent;

namespace Miso.Emulator.Users;

internal sealed class UserStore
{
    private readonly ConcurrentDictionary<string, byte[]> users = new(StringComparer.Ordinal);

    public int Count => users.Count;

    public void Upsert(string userId, byte[] json) => users[userId] = json;

    public int Delete(IEnumerable<string> userIds) => userIds.Count(id => users.TryRemove(id, out _));

    public IEnumerable<byte[]> All() => users.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => u.Value);

    public void Clear() => users.Clear();
}
