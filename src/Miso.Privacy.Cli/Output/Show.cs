using System.Globalization;
using System.Text.Json;

namespace Miso.Privacy.Cli;

/// <summary>Reading the API's JSON for people: fields that may be missing or null, times in UTC to the minute or second.</summary>
static class Show
{
    public static string? Text(this JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) ? Scalar(value) : null;

    public static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => string.Join(",", value.EnumerateArray().Select(Scalar)),
        _ => null,
    };

    public static JsonElement Child(this JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) ? value : default;

    public static IEnumerable<JsonElement> Items(this JsonElement element, string property) =>
        element.Child(property) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    public static long Number(this JsonElement element, string property) =>
        element.Child(property) is { ValueKind: JsonValueKind.Number } number ? number.GetInt64() : 0;

    public static bool Flag(this JsonElement element, string property) => element.Child(property).ValueKind == JsonValueKind.True;

    /// <summary>yyyy-MM-dd HH:mm in UTC, for tables.</summary>
    public static string? Minute(this JsonElement element, string property) => Time(element, property, "yyyy-MM-dd HH:mm'Z'");

    /// <summary>yyyy-MM-dd HH:mm:ss in UTC, for a request's own page.</summary>
    public static string? Second(this JsonElement element, string property) => Time(element, property, "yyyy-MM-dd HH:mm:ss'Z'");

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    static string? Time(JsonElement element, string property, string format) =>
        element.Text(property) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime.ToString(format, CultureInfo.InvariantCulture)
            : element.Text(property);
}
