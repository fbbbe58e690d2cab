using System.Text.Json.Serialization;

namespace Miso.Emulator.Faults;

public sealed record FaultSettings
{
    [JsonPropertyName("environment")] public string? Environment { get; init; }
    [JsonPropertyName("latency_ms")] public int LatencyMs { get; init; }
    [JsonPropertyName("latency_jitter_ms")] public int LatencyJitterMs { get; init; }
    [JsonPropertyName("error_rate")] public double ErrorRate { get; init; }
    [JsonPropertyName("error_statuses")] public int[]? ErrorStatuses { get; init; }
    [JsonPropertyName("rate_limit_per_second")] public int? RateLimitPerSecond { get; init; }
    [JsonPropertyName("outage_seconds")] public double? OutageSeconds { get; init; }

    internal IEnumerable<string> Problems()
    {
        if (LatencyMs < 0) yield return "latency_ms must be >= 0.";
        if (LatencyJitterMs < 0) yield return "latency_jitter_ms must be >= 0.";
        if (ErrorRate is < 0 or > 1) yield return "error_rate must be in [0, 1].";
        if (ErrorStatuses is { } statuses && statuses.Any(s => s is < 400 or > 599))
            yield return "error_statuses must be HTTP error statuses (400-599).";
        if (RateLimitPerSecond is <= 0) yield return "rate_limit_per_second must be > 0.";
        if (OutageSeconds is < 0) yield return "outage_seconds must be >= 0.";
    }
}
