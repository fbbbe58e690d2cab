using System.Collections.Concurrent;

namespace Miso.Emulator.Users;

sealed class UserStore
{
    readonly ConcurrentDictionary<string, byte[]> _users = new(StringComparer.Ordinal);

    public int Count => _users.Count;

    public void Upsert(string userId, byte[] json) => _users[userId] = json;

    public byte[]? Find(string userId) => _users.GetValueOrDefault(userId);

    public int Delete(IEnumerable<string> userIds) => userIds.Count(id => _users.TryRemove(id, out _));

    public IEnumerable<byte[]> All() => _users.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => u.Value);

    public void Clear() => _users.Clear();
}
