using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Miso.Emulator.Schemas;

namespace Miso.Emulator.Pipeline;

/// <summary>How FastAPI reads and validates a JSON request body, for the routes Miso serves with it.</summary>
static class FastApiBody
{
    /// <returns>False with FastAPI's issues when the body is absent or not JSON.</returns>
    public static bool TryParse(byte[] body, [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out List<ValidationIssue>? issues)
    {
        document = null;
        issues = null;
        if (body.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            issues = [new ValidationIssue(["body"], "field required", "value_error.missing")];
            return false;
        }
        try
        {
            document = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException exception)
        {
            issues = [DecodeError(body, exception)];
            return false;
        }
    }

    /// <summary>The body's problems against a schema of Miso's OpenAPI document; empty when it conforms.</summary>
    public static List<ValidationIssue> Validate(JsonElement body, string schemaName)
    {
        var api = MisoOpenApi.Instance;
        return SchemaValidator.Validate(api, body, api.Schema(schemaName)).Select(p => p.ToFastApi()).ToList();
    }

    // Python's json module reports the position in characters, with 1-based line and column.
    static ValidationIssue DecodeError(byte[] body, JsonException exception)
    {
        var line = (int)(exception.LineNumber ?? 0);
        var lineStart = 0;
        for (var i = 0; i < line; i++)
            lineStart = Array.IndexOf(body, (byte)'\n', lineStart) + 1;
        var byteOffset = Math.Min(body.Length, lineStart + (int)(exception.BytePositionInLine ?? 0));
        var position = Encoding.UTF8.GetCharCount(body, 0, byteOffset);
        var column = position - Encoding.UTF8.GetCharCount(body, 0, lineStart) + 1;
        return new ValidationIssue(["body", position], $"Invalid JSON: line {line + 1} column {column} (char {position})", "value_error.jsondecode");
    }
}
