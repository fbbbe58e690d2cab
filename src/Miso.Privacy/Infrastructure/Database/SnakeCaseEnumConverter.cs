using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Miso.Privacy.Infrastructure.Database;

/// <summary>
/// Stores enums as the same snake_case text the API shows, so SQL reads like the JSON; also the one parser of
/// that text wherever it arrives outside a JSON body (query strings, route segments).
/// </summary>
public sealed class SnakeCaseEnumConverter<T>() : ValueConverter<T, string>(v => ToText(v), s => FromText(s))
    where T : struct, Enum
{
    static readonly FrozenDictionary<T, string> Text =
        Enum.GetValues<T>().ToFrozenDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

    static readonly FrozenDictionary<string, T> Values = Text.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>Every value's text, in declaration order: "a, b, c", as error messages list them.</summary>
    public static readonly string Choices = string.Join(", ", Enum.GetValues<T>().Select(ToText));

    public static string ToText(T value) => Text[value];

    public static T FromText(string text) => Values[text];

    /// <summary>Exact text only: no case folding, no numbers, nothing the API would not print itself.</summary>
    public static bool TryFromText(string? text, out T value)
    {
        value = default;
        return text is not null && Values.TryGetValue(text, out value);
    }
}
