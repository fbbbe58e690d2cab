using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Miso.Privacy.Miso;

namespace Miso.Privacy.Forwarding;

/// <summary>A Miso key a caller presented, and the configured environment it belongs to.</summary>
public sealed record MisoKey(string Value, string Environment, bool IsSecret);

/// <summary>Only keys of configured environments are forwarded: the service is not an open relay.</summary>
public sealed class MisoKeys(IOptions<MisoOptions> options)
{
    // Made once: every /v1 call resolves its key twice (rate limit, handler), and neither allocates.
    readonly FrozenDictionary<string, MisoKey> _keys = options.Value.Environments
        .SelectMany(e => e.PublishableKeys.Select(k => new MisoKey(k, e.Name, IsSecret: false)).Append(new MisoKey(e.SecretKey, e.Name, IsSecret: true)))
        .Where(k => k.Value.Length > 0)
        .ToFrozenDictionary(k => k.Value, StringComparer.Ordinal);

    /// <summary>Every configured key, each the one instance <see cref="Resolve"/> returns for it.</summary>
    public IEnumerable<MisoKey> All => _keys.Values;

    /// <summary>As Miso reads it: the <c>api_key</c> query parameter first, then the <c>X-API-KEY</c> header.</summary>
    public MisoKey? Resolve(HttpRequest request)
    {
        var presented = request.QueryString.HasValue && request.Query["api_key"].FirstOrDefault() is { Length: > 0 } query
            ? query
            : request.Headers["X-API-KEY"].FirstOrDefault();
        return presented is not null && _keys.TryGetValue(presented, out var found) ? found : null;
    }
}
