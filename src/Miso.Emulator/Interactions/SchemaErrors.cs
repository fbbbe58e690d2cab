using System.Text.Json;

namespace Miso.Emulator.Interactions;

/// <summary>Collects one Miso-style message per problem ("data.N.field is invalid. ...").</summary>
sealed class SchemaErrors
{
    readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages => _messages;
    public bool Any => _messages.Count > 0;

    public void Add(string path, string detail) => _messages.Add($"{path} is invalid. {detail}");

    public void Type(string path, JsonElement value, bool nullable, params string[] expected) =>
        Type(path, KindName(value), nullable, expected);

    // Miso quotes the expected types twice, e.g. ''array', 'null''; kept verbatim so clients can match on it.
    public void Type(string path, string given, bool nullable, params string[] expected)
    {
        var names = nullable ? [.. expected, "null"] : expected;
        var quoted = string.Join(", ", names.Select(n => $"'{n}'"));
        Add(path, $"The attribute was expected to be of type '{quoted}' but type '{given}' was given.");
    }

    public void Format(string path, string format) => Add(path, $"The attribute should match the '{format}' format.");

    public void TooLong(string path, int max) => Add(path, $"The attribute should be at most {max} characters long.");

    public void Required(string path) => Add(path, "The attribute is required.");

    public static string KindName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
