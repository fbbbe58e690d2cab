using System.Text.Json;

namespace Miso.Privacy.Cli.Http;

/// <summary>An RFC 9457 problem as a person reads it: the title, then the detail and each named field's messages.</summary>
sealed record Problem(string? Title, IReadOnlyList<string> Lines)
{
    public static Problem? Read(string text, string? mediaType)
    {
        if (mediaType is not ("application/problem+json" or "application/json") || text.Length == 0)
            return null;
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }
        if (root.ValueKind != JsonValueKind.Object)
            return null;
        var lines = new List<string>();
        if (Text(root, "detail") is { } detail)
            lines.Add(detail);
        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            foreach (var field in errors.EnumerateObject())
                foreach (var message in field.Value.ValueKind == JsonValueKind.Array ? field.Value.EnumerateArray() : Enumerable.Repeat(field.Value, 1))
                    lines.Add($"{field.Name}: {(message.ValueKind == JsonValueKind.String ? message.GetString() : message.GetRawText())}");
        return new Problem(Text(root, "title"), lines);
    }

    static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
