using System.Text.Json;

namespace Miso.Privacy.Miso;

/// <summary>What one call to Miso came to, after the HTTP layer's own short retries.</summary>
public sealed record MisoResult(int StatusCode, string Message, TimeSpan? RetryAfter)
{
    /// <summary>0 when no HTTP answer came at all (connection refused, timeout, open circuit).</summary>
    public const int NoAnswer = 0;

    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>Worth another attempt later: no answer, 408, 429 or a 5xx. Any other 4xx will not improve.</summary>
    public bool Retryable => StatusCode is NoAnswer or 408 or 429 or >= 500;

    public static MisoResult From(int status, string body, TimeSpan? retryAfter) => new(status, MessageOf(body), retryAfter);

    public static MisoResult Unanswered(Exception e) => new(NoAnswer, e.GetType().Name + ": " + Truncate(e.Message), null);

    static string MessageOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                return Truncate(message.GetString()!);
        }
        catch (JsonException) { }
        return Truncate(body);
    }

    static string Truncate(string text) => text.Length <= 500 ? text : text[..500];
}
