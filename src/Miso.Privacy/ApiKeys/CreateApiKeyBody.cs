namespace Miso.Privacy.ApiKeys;

public sealed record CreateApiKeyBody(string? Name, List<string?>? Scopes, DateTimeOffset? ExpiresAt)
{
    public static readonly IReadOnlyDictionary<string, string> Expectations = new Dictionary<string, string>
    {
        ["name"] = "a string",
        ["scopes"] = "an array of scope names",
        ["expires_at"] = "an ISO-8601 date-time, like 2027-01-01T00:00:00Z",
    };
}

/// <summary>A validated body: scopes in the order <see cref="Infrastructure.Auth.Scopes.All"/> lists them.</summary>
public sealed record NewApiKey(string Name, string[] Scopes, DateTimeOffset? ExpiresAt);
