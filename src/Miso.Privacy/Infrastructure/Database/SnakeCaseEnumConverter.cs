using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Miso.Privacy.Infrastructure.Database;

/// <summary>Stores enums as the same snake_case text the API shows, so SQL reads like the JSON.</summary>
public sealed class SnakeCaseEnumConverter<T>() : ValueConverter<T, string>(v => ToText(v), s => FromText(s))
    where T : struct, Enum
{
    static readonly FrozenDictionary<T, string> Text =
        Enum.GetValues<T>().ToFrozenDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

    static readonly FrozenDictionary<string, T> Values = Text.ToFrozenDictionary(p => p.Value, p => p.Key);

    public static string ToText(T value) => Text[value];

    public static T FromText(string text) => Values[text];
}
