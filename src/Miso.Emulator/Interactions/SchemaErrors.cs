using System.Text.Json;

namespace Miso.Emulator.Interactions;

/// <summary>Collects one Miso-style message per problem ("data.N.field is invalid. ...").</summary>
internal sealed class SchemaErrors
{
    private readonly List<string> messages = [];

    public IReadOnlyList<string> Messages => messages;
    public bool Any => messages.Count > 0;

    public void Add(string path, string detail) => messages.Add($"{path} is invalid. {detail}");

    // Miso quotes the expected types twice, e.g. ''array', 'null''; kept verbatim so clients can match on it.
    public void Type(string path, JsonElement value, bool nullable, params string[] expected)
    {
        var names = nullable ? [.. expected, "null"] : expected;
        var quoted = string.Join(", ", names.Select(n => $"'{n}'"));
        Add(path, $"The attribute was expected to be of type '{quoted}' but type '{KindName(value)}' was given.");
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
