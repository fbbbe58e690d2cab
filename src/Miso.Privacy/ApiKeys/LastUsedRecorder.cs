using System.Collections.Concurrent;
using Miso.Privacy.Audit;
using Npgsql;

namespace Miso.Privacy.ApiKeys;

/// <summary>
/// Writes a created key's <c>last_used_at</c> at most once a minute: each instance asks at most that often, and the
/// write itself changes nothing within a minute of the last one, whichever instance made it. The write is never
/// awaited and never fails the call that used the key.
/// </summary>
public sealed partial class LastUsedRecorder(
    [FromKeyedServices(ApiKeysApi.PoolKey)] NpgsqlDataSource database, TimeProvider clock, ILogger<LastUsedRecorder> logger)
{
    static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    readonly ConcurrentDictionary<Guid, long> _asked = new();

    public void Touch(Guid id)
    {
        var now = clock.GetTimestamp();
        var claimed = _asked.TryGetValue(id, out var last)
            ? clock.GetElapsedTime(last, now) >= Interval && _asked.TryUpdate(id, now, last)
            : _asked.TryAdd(id, now);
        if (claimed)
            _ = WriteAsync(id, AuditHashing.ToStoredPrecision(clock.GetUtcNow()));
    }

    async Task WriteAsync(Guid id, DateTimeOffset at)
    {
        try
        {
            await using var command = database.CreateCommand("""
                UPDATE privacy.api_keys SET last_used_at = $2
                WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $2 - interval '1 minute')
                """);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e)
        {
            LogWriteFailed(e.GetType().Name);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not record when an API key was last used ({Error}); the call itself went on")]
    partial void LogWriteFailed(string error);
}
