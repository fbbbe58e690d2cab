namespace Miso.Privacy.Miso;

/// <summary>
/// Per-request facts the HTTP pipeline acts on: which environment and traffic (resilience pipeline, rate gate),
/// whether the shared rate gate applies, and whether the call may be sent twice. The last two are separate decisions.
/// </summary>
public static class MisoRequestOptions
{
    public const string Uploads = "uploads";
    public const string Deletions = "deletions";

    public static readonly HttpRequestOptionsKey<string> Environment = new("miso.environment");
    public static readonly HttpRequestOptionsKey<string> Traffic = new("miso.traffic");
    public static readonly HttpRequestOptionsKey<bool> RateLimited = new("miso.rate_limited");
    public static readonly HttpRequestOptionsKey<bool> Idempotent = new("miso.idempotent");

    public static string EnvironmentOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(Environment, out var name) ? name : "unknown";

    /// <summary>Unmarked traffic shares the deletions' pipeline: only customer uploads are kept apart.</summary>
    public static string PipelineOf(HttpRequestMessage request) =>
        EnvironmentOf(request) + "/" + (request.Options.TryGetValue(Traffic, out var traffic) ? traffic : Deletions);

    public static bool IsRateLimited(HttpRequestMessage request) =>
        request.Options.TryGetValue(RateLimited, out var limited) && limited;

    /// <summary>Unmarked means not idempotent: a call is retried freely only when it says it may be.</summary>
    public static bool IsIdempotent(HttpRequestMessage request) =>
        request.Options.TryGetValue(Idempotent, out var idempotent) && idempotent;
}
