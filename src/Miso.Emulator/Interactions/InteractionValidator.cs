using System.Runtime.InteropServices;
using System.Text.Json;
using Miso.Emulator.Pipeline;
using static Miso.Emulator.Interactions.InteractionSchema;

namespace Miso.Emulator.Interactions;

sealed record InteractionRecord(string? UserId, byte[] Json, IReadOnlyList<string> ProductIds)
{
    public static List<string> ProductIdsOf(JsonElement record) =>
        record.TryGetProperty("product_ids", out var ids) && ids.ValueKind == JsonValueKind.Array
            ? ids.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!).ToList()
            : [];
}

static class InteractionValidator
{
    /// <returns>The accepted records, or null when the batch has schema errors (then <paramref name="errors"/> says why).</returns>
    public static List<InteractionRecord>? Validate(JsonElement root, out SchemaErrors errors)
    {
        errors = new SchemaErrors();
        if (!BatchShape.TryGetDataArray(root, errors, out var data))
            return null;

        var records = new List<InteractionRecord>(data.GetArrayLength());
        var index = 0;
        foreach (var record in data.EnumerateArray())
        {
            ValidateRecord(record, $"data.{index++}", errors);
            if (!errors.Any)
                records.Add(new InteractionRecord(
                    OptionalString(record, "user_id"),
                    JsonMarshal.GetRawUtf8Value(record).ToArray(),
                    InteractionRecord.ProductIdsOf(record)));
        }
        return errors.Any ? null : records;
    }

    static void ValidateRecord(JsonElement record, string path, SchemaErrors errors)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            errors.Type(path, record, false, "object");
            return;
        }

        var type = ValidateType(record, path, errors);
        var allowed = type is null ? AllFields : FieldsByType[type];
        foreach (var property in record.EnumerateObject())
        {
            var fieldPath = $"{path}.{property.Name}";
            if (property.Name == "type")
                continue;
            if (!allowed.Contains(property.Name))
                errors.Add(fieldPath, type is null
                    ? "The attribute is not an interaction attribute."
                    : $"The attribute is not allowed for interactions of type '{type}'.");
            else
                FieldRules[property.Name](property.Value, fieldPath, errors, !IsRequired(type, property.Name));
        }

        if (type == CustomType && !record.TryGetProperty(CustomActionName, out _))
            errors.Required($"{path}.{CustomActionName}");
    }

    static string? ValidateType(JsonElement record, string path, SchemaErrors errors)
    {
        if (!record.TryGetProperty("type", out var value))
            errors.Required($"{path}.type");
        else if (value.ValueKind != JsonValueKind.String)
            errors.Type($"{path}.type", value, false, "string");
        else if (!FieldsByType.ContainsKey(value.GetString()!))
            errors.Add($"{path}.type", $"'{value.GetString()}' is not a supported interaction type.");
        else
            return value.GetString();
        return null;
    }

    static bool IsRequired(string? type, string field) => type == CustomType && field == CustomActionName;

    static string? OptionalString(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
