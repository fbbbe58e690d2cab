namespace Miso.Privacy.ApiKeys;

/// <summary>
/// A key created through the API. Only the SHA-256 of its value is kept: the value itself is shown once, in the
/// answer that created it. <see cref="Prefix"/> is the value's first characters, enough to tell keys apart.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; init; }

    /// <summary>Unique among every key ever created and every configured one: it is the audit actor.</summary>
    public required string Name { get; init; }
    public required string[] Scopes { get; init; }
    public required string Prefix { get; init; }
    public required byte[] KeySha256 { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
}
