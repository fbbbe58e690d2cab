using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Miso.Privacy.ApiKeys;

/// <summary>Who holds a presented key: the name (the audit actor), the scopes, and the row of a created key.</summary>
public sealed record KeyHolder(string Name, string[] Scopes, Guid? StoredId);

/// <summary>
/// Finds the holder of a presented key. Configured keys live in memory for good. Created keys are read as one
/// snapshot of every live key, which an instance trusts for at most <see cref="MaxAge"/> counted from before its
/// read began: a revocation committed before then is in it, so a revoked key stops working on every instance within
/// MaxAge of the revocation's answer, whatever happens to notifications (they only make it sooner). A key missing
/// from the snapshot is looked for again in one read that began after the call arrived, so a key created a moment ago
/// on another instance works at once. Reads are shared and begin at most once every <see cref="ReadInterval"/>, so a
/// flood of made-up keys costs the database a few small reads a second, not one per call.
/// </summary>
public sealed class KeyDirectory
{
    /// <summary>Under a second, with room for the request that was authenticated just before it ran out.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(900);

    public static readonly TimeSpan ReadInterval = TimeSpan.FromMilliseconds(200);

    sealed record StoredKey(Guid Id, string Name, string[] Scopes, DateTimeOffset? ExpiresAt);

    sealed record Snapshot(FrozenDictionary<string, StoredKey> Keys, long ReadAt);

    const string LiveKeys = """
        SELECT id, name, scopes, key_sha256, expires_at FROM privacy.api_keys
        WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
        """;

    readonly (ApiKeyEntry Entry, byte[] Hash)[] _configured;
    readonly NpgsqlDataSource _database;
    readonly TimeProvider _clock;
    readonly long _maxAgeTicks;
    readonly long _readIntervalTicks;
    readonly Lock _gate = new();
    Snapshot? _snapshot;
    Task<Snapshot>? _reading;
    long _readingSince;
    long _invalidatedAt;

    public KeyDirectory(IOptions<ApiKeyOptions> options, [FromKeyedServices(ApiKeysApi.PoolKey)] NpgsqlDataSource database, TimeProvider clock)
    {
        Configured = options.Value.ApiKeys;
        _configured = Configured.Select(k => (k, Convert.FromHexString(k.KeySha256))).ToArray();
        _database = database;
        _clock = clock;
        _maxAgeTicks = (long)(MaxAge.TotalSeconds * clock.TimestampFrequency);
        _readIntervalTicks = (long)(ReadInterval.TotalSeconds * clock.TimestampFrequency);
    }

    public IReadOnlyList<ApiKeyEntry> Configured { get; }

    public ApiKeyEntry? ConfiguredNamed(string name) =>
        Configured.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Null for a key nobody holds, or one revoked or expired. Throws when the database cannot say.</summary>
    public async ValueTask<KeyHolder?> FindAsync(string presented, CancellationToken ct)
    {
        var hash = KeyFormat.Sha256(presented);
        foreach (var (entry, expected) in _configured)
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
                return new KeyHolder(entry.Name, entry.Scopes, null);
        if (!KeyFormat.CouldBeCreated(presented))
            return null;

        // A dictionary lookup by the hash of a 256-bit secret: its timing tells nothing that helps find a key.
        var id = Convert.ToHexString(hash);
        var arrived = _clock.GetTimestamp();
        if (!(await SnapshotAsync(arrived - _maxAgeTicks, ct)).Keys.TryGetValue(id, out var key)
            && !(await SnapshotAsync(arrived, ct)).Keys.TryGetValue(id, out key))
            return null;
        return key.ExpiresAt <= _clock.GetUtcNow() ? null : new KeyHolder(key.Name, key.Scopes, key.Id);
    }

    /// <summary>The next lookup reads the database: after this instance changed a key, and on every notification.</summary>
    public void Invalidate()
    {
        lock (_gate)
            _invalidatedAt = _clock.GetTimestamp();
    }

    /// <summary>A snapshot whose read began at <paramref name="notBefore"/> or later, and after the last invalidation.</summary>
    async ValueTask<Snapshot> SnapshotAsync(long notBefore, CancellationToken ct)
    {
        Task<Snapshot> reading;
        lock (_gate)
        {
            if (_snapshot is { } snapshot && snapshot.ReadAt >= notBefore && snapshot.ReadAt > _invalidatedAt)
                return snapshot;
            if (_reading is null || _reading.IsCompleted || _readingSince < notBefore || _readingSince <= _invalidatedAt)
            {
                var since = _readingSince = Math.Max(_clock.GetTimestamp(), _readingSince + _readIntervalTicks);
                _reading = Task.Run(() => ReadAsync(since), CancellationToken.None);
            }
            reading = _reading;
        }
        return await reading.WaitAsync(ct);
    }

    async Task<Snapshot> ReadAsync(long since)
    {
        // Not a moment before since: the snapshot is trusted as read then. A timer may fire up to a millisecond early (its
        // delay is whole milliseconds on a millisecond clock), and a read that began before a revocation's commit but is
        // stamped after its invalidation would let the revoked key in (seen once in the full suite).
        while (_clock.GetElapsedTime(_clock.GetTimestamp(), since) is { Ticks: > 0 } wait)
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), _clock);
        var keys = new Dictionary<string, StoredKey>();
        await using (var command = _database.CreateCommand(LiveKeys))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                keys[Convert.ToHexString(reader.GetFieldValue<byte[]>(3))] = new StoredKey(reader.GetGuid(0), reader.GetString(1),
                    reader.GetFieldValue<string[]>(2), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
        var read = new Snapshot(keys.ToFrozenDictionary(), since);
        lock (_gate)
            if (_snapshot is null || _snapshot.ReadAt < since)
                _snapshot = read;
        return read;
    }
}
