using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Miso.Emulator.Pipeline;

static class JsonBody
{
    public static bool TryParse(byte[] body, [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out string? error)
    {
        try
        {
            document = JsonDocument.Parse(body);
            error = null;
            return true;
        }
        catch (JsonException exception)
        {
            document = null;
            error = exception.Message;
            return false;
        }
    }

    /// <summary>
    /// Reads a FastAPI-style <c>user_ids</c> list at <paramref name="loc"/> (for example body → user_ids).
    /// </summary>
    public static List<string>? ReadUserIds(JsonElement root, object[] loc, List<ValidationIssue> issues)
    {
        var current = root;
        foreach (var segment in loc.Skip(1).Cast<string>())
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
            {
                issues.Add(new ValidationIssue(loc, "field required", "value_error.missing"));
                return null;
            }
        }
        if (current.ValueKind != JsonValueKind.Array)
        {
            issues.Add(new ValidationIssue(loc, "value is not a valid list", "type_error.list"));
            return null;
        }

        var ids = new List<string>(current.GetArrayLength());
        var index = 0;
        foreach (var item in current.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String) ids.Add(item.GetString()!);
            else issues.Add(new ValidationIssue([.. loc, index], "str type expected", "type_error.str"));
            index++;
        }
        return issues.Count == 0 ? ids : null;
    }
}
