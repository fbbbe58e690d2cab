using System.Text.Json;

namespace Miso.Emulator.Interactions;

/// <summary>Miso's <c>WebBasedContext</c> and <c>SearchInformation</c> schemas.</summary>
static class ContextRules
{
    static readonly Rule Text = Rules.String();

    public static readonly Rule Context = Rules.Object(new Dictionary<string, Rule>
    {
        ["campaign"] = Rules.Object(new Dictionary<string, Rule>
        {
            ["name"] = Text, ["source"] = Text, ["medium"] = Text, ["term"] = Text, ["content"] = Text,
        }),
        ["truncated_ip"] = Rules.String(format: "ipv4", matches: Formats.IsIPv4),
        ["locale"] = Text,
        ["region"] = Text,
        ["user_agent"] = Text,
        ["page"] = Rules.Object(new Dictionary<string, Rule>
        {
            ["url"] = Text, ["referrer"] = Text, ["title"] = Text,
        }, "url"),
        ["custom_context"] = Rules.MapOf(CustomContextValue),
    });

    public static readonly Rule Search = Rules.Object(new Dictionary<string, Rule>
    {
        ["keywords"] = Text,
        ["filters"] = Rules.MapOf(Rules.ArrayOf(Text)),
    });

    static void CustomContextValue(JsonElement value, string path, SchemaErrors errors, bool nullable)
    {
        var valid = value.ValueKind switch
        {
            JsonValueKind.Array => IsHomogeneousList(value),
            JsonValueKind.Object => false,
            _ => true,
        };
        if (!valid)
            errors.Add(path, "The attribute should be a boolean, a number, a string, or a list of numbers, strings or flat objects.");
    }

    static bool IsHomogeneousList(JsonElement array)
    {
        var items = array.EnumerateArray().ToList();
        return items.All(i => i.ValueKind == JsonValueKind.Number)
            || items.All(i => i.ValueKind == JsonValueKind.String)
            || items.All(IsFlatObject);
    }

    static bool IsFlatObject(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object
        && item.EnumerateObject().All(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            or JsonValueKind.True or JsonValueKind.False);
}
