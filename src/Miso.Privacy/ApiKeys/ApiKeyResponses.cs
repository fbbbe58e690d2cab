namespace Miso.Privacy.ApiKeys;

/// <summary>The one answer that holds the key itself.</summary>
public sealed record CreatedApiKey(Guid Id, string Name, string[] Scopes, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Key);

/// <summary>
/// A key as lists show it: never its value or hash. A configured key (<c>source</c> "configuration") has no row:
/// its id is <c>config:</c> and its name, and it has no prefix or dates.
/// </summary>
public sealed record ApiKeyItem(
    string Id, string Name, string[] Scopes, string? Prefix, DateTimeOffset? CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, string Source);

public sealed record ApiKeyList(IReadOnlyList<ApiKeyItem> Data);

static class ApiKeyMapping
{
    public const string FromApi = "api";
    public const string FromConfiguration = "configuration";

    public static ApiKeyItem ToItem(this ApiKey key) =>
        new(key.Id.ToString(), key.Name, key.Scopes, key.Prefix, key.CreatedAt, key.ExpiresAt, key.LastUsedAt, key.RevokedAt, FromApi);

    public static ApiKeyItem ToItem(this ApiKeyEntry key) =>
        new(key.Id, key.Name, key.Scopes, null, null, null, null, null, FromConfiguration);
}
