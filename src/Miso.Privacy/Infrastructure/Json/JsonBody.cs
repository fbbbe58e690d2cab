using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Infrastructure.Json;

/// <summary>
/// Reads a JSON request body strictly: bounded size (read by <see cref="RequestBody"/>), an object at the root, no
/// unknown or duplicated fields, and type errors reported by field name rather than as .NET exception text.
/// </summary>
public static class JsonBody
{
    public const int DefaultLimitBytes = 16 * 1024 * 1024;

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(
        HttpRequest request, IReadOnlyDictionary<string, string> expectations, int limitBytes = DefaultLimitBytes)
        where T : class
    {
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Field("body", "Send the body as application/json.", StatusCodes.Status415UnsupportedMediaType));
        if (request.ContentLength > limitBytes)
            return (null, TooLarge(limitBytes));

        using var body = await RequestBody.ReadAsync(request.HttpContext, limitBytes);
        if (body is null)
            return (null, TooLarge(limitBytes));
        if (body.Memory.Length == 0)
            return (null, Problems.Field("body", "A JSON object is required."));

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Memory, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            return (null, Problems.Field("body", $"Malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}."));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (null, Problems.Field("body", "A JSON object is required."));
            if (FindUnexpectedProperty<T>(document.RootElement) is { } problem)
                return (null, problem);
            try
            {
                return (document.Deserialize<T>(ApiJson.Options), null);
            }
            catch (JsonException e)
            {
                var field = FieldOf(e.Path);
                var root = field.Split('[')[0];
                var expected = expectations.TryGetValue(root, out var text) ? text : "a value of another type";
                return (null, Problems.Field(field, $"Must be {expected}."));
            }
        }
    }

    static ProblemHttpResult? FindUnexpectedProperty<T>(JsonElement root)
    {
        var known = ApiJson.Options.GetTypeInfo(typeof(T)).Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!known.Contains(property.Name))
                return Problems.Field(property.Name, "Unknown field.");
            if (!seen.Add(property.Name))
                return Problems.Field(property.Name, "The field appears more than once.");
        }
        return null;
    }

    static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.") ? path[2..] : path.TrimStart('$');

    static ProblemHttpResult TooLarge(int limitBytes) =>
        Problems.Field("body", $"The body exceeds {limitBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
}
