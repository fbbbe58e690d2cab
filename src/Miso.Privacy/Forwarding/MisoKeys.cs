using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Miso.Privacy.Miso;

namespace Miso.Privacy.Forwarding;

/// <summary>A Miso key a caller presented, and the configured environment it belongs to.</summary>
public sealed record MisoKey(string Value, string Environment, bool IsSecret);

/// <summary>Only keys of configured environments are forwarded: the service is not an open relay.</summary>
public sealed class MisoKeys(IOptions<MisoOptions> options)
{
    readonly FrozenDictionary<string, (string Environment, bool IsSecret)> _keys = options.Value.Environments
        .SelectMany(e => e.PublishableKeys.Select(k => (Key: k, Value: (e.Name, IsSecret: false))).Append((Key: e.SecretKey, Value: (e.Name, IsSecret: true))))
        .Where(k => k.Key.Length > 0)
        .ToFrozenDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);

    /// <summary>As Miso reads it: the <c>api_key</c> query parameter first, then the <c>X-API-KEY</c> header.</summary>
    public MisoKey? Resolve(HttpRequest request)
    {
        var presented = request.Query["api_key"].FirstOrDefault() is { Length: > 0 } query
            ? query
            : request.Headers["X-API-KEY"].FirstOrDefault();
        return presented is not null && _keys.TryGetValue(presented, out var found)
            ? new MisoKey(presented, found.Environment, found.IsSecret)
            : null;
    }
}
