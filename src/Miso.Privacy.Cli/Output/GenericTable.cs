using System.Text.Json;

namespace Miso.Privacy.Cli;

/// <summary>
/// A table of whatever plain fields a list's objects carry, in the order the service sends them: for answers whose
/// shape this client does not fix (webhooks, deliveries), so a new field shows up without a new client.
/// </summary>
static class GenericTable
{
    public static void Write(TextWriter output, IReadOnlyList<JsonElement> items, string empty)
    {
        if (items.Count == 0)
        {
            output.WriteLine(empty);
            return;
        }
        var columns = new List<string>();
        foreach (var item in items.Where(i => i.ValueKind == JsonValueKind.Object))
            foreach (var property in item.EnumerateObject())
                if (IsPlain(property.Value) && !columns.Contains(property.Name))
                    columns.Add(property.Name);
        var table = new Table(columns.Select(c => c.ToUpperInvariant()).ToArray());
        foreach (var item in items)
            table.Add(columns.Select(c => item.Text(c)).ToArray());
        table.WriteTo(output);
    }

    // A nested object or a list of them (a delivery's attempts) has no cell of its own; --json shows it.
    static bool IsPlain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => false,
        JsonValueKind.Array => value.EnumerateArray().All(v => v.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)),
        _ => true,
    };

    /// <summary>A list answer is <c>{"data": [...]}</c> (as <c>/api/v1/keys</c>), <c>{"items": [...]}</c> or a bare array.</summary>
    public static IReadOnlyList<JsonElement> ItemsOf(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.Array)
            return body.EnumerateArray().ToList();
        foreach (var name in (string[])["data", "items"])
            if (body.Child(name) is { ValueKind: JsonValueKind.Array } list)
                return list.EnumerateArray().ToList();
        return body.ValueKind == JsonValueKind.Object ? [body] : [];
    }
}
