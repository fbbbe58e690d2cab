namespace Miso.Privacy.Miso;

/// <summary>Per-request facts the HTTP pipeline acts on: which environment (circuit breaker, rate gate), and whether the gate applies.</summary>
public static class MisoRequestOptions
{
    public static readonly HttpRequestOptionsKey<string> Environment = new("miso.environment");
    public static readonly HttpRequestOptionsKey<bool> RateLimited = new("miso.rate_limited");

    public static string EnvironmentOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(Environment, out var name) ? name : "unknown";
}
