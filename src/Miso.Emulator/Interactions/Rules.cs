using System.Text.Json;

namespace Miso.Emulator.Interactions;

/// <param name="nullable">Whether JSON null is allowed here (optional fields are, as in Miso's pydantic schemas).</param>
delegate void Rule(JsonElement value, string path, SchemaErrors errors, bool nullable);

static class Rules
{
    public static Rule String(int? maxLength = null, string? format = null, Func<string, bool>? matches = null) =>
        (value, path, errors, nullable) =>
        {
            if (Skip(value, nullable)) return;
            if (value.ValueKind != JsonValueKind.String) { errors.Type(path, value, nullable, "string"); return; }
            var text = value.GetString()!;
            if (maxLength is { } max && text.Length > max && text.EnumerateRunes().Count() > max)
                errors.TooLong(path, max);
            if (matches is not null && !matches(text))
                errors.Format(path, format!);
        };

    public static Rule Number(double? minimum = null, double? maximum = null) =>
        (value, path, errors, nullable) =>
        {
            if (Skip(value, nullable)) return;
            if (value.ValueKind != JsonValueKind.Number) { errors.Type(path, value, nullable, "number"); return; }
            var number = value.GetDouble();
            if (number < minimum || number > maximum)
                errors.Add(path, $"The attribute should be in the range [{minimum}, {maximum}].");
        };

    public static readonly Rule Integer = (value, path, errors, nullable) =>
    {
        if (Skip(value, nullable)) return;
        if (value.ValueKind != JsonValueKind.Number || !IsIntegral(value))
            errors.Type(path, value, nullable, "integer");
    };

    public static Rule ArrayOf(Rule item) => (value, path, errors, nullable) =>
    {
        if (Skip(value, nullable)) return;
        if (value.ValueKind != JsonValueKind.Array) { errors.Type(path, value, nullable, "array"); return; }
        var index = 0;
        foreach (var element in value.EnumerateArray())
            item(element, $"{path}.{index++}", errors, false);
    };

    public static readonly Rule IntegerOrIntegers = (value, path, errors, nullable) =>
    {
        if (Skip(value, nullable)) return;
        if (value.ValueKind == JsonValueKind.Array) ArrayOf(Integer)(value, path, errors, false);
        else if (value.ValueKind == JsonValueKind.Number) Integer(value, path, errors, false);
        else errors.Type(path, value, nullable, "array", "integer");
    };

    /// <summary>Known properties are checked; others are ignored, as Miso's nested schemas allow.</summary>
    public static Rule Object(IReadOnlyDictionary<string, Rule> properties, params string[] required) =>
        (value, path, errors, nullable) =>
        {
            if (Skip(value, nullable)) return;
            if (value.ValueKind != JsonValueKind.Object) { errors.Type(path, value, nullable, "object"); return; }
            foreach (var name in required)
                if (!value.TryGetProperty(name, out _)) errors.Required($"{path}.{name}");
            foreach (var property in value.EnumerateObject())
                if (properties.TryGetValue(property.Name, out var rule))
                    rule(property.Value, $"{path}.{property.Name}", errors, !required.Contains(property.Name));
        };

    public static Rule MapOf(Rule entry) => (value, path, errors, nullable) =>
    {
        if (Skip(value, nullable)) return;
        if (value.ValueKind != JsonValueKind.Object) { errors.Type(path, value, nullable, "object"); return; }
        foreach (var property in value.EnumerateObject())
            entry(property.Value, $"{path}.{property.Name}", errors, true);
    };

    public static bool IsIntegral(JsonElement number) =>
        number.TryGetInt64(out _) || (number.TryGetDouble(out var d) && double.IsFinite(d) && d == Math.Floor(d));

    static bool Skip(JsonElement value, bool nullable) => nullable && value.ValueKind == JsonValueKind.Null;
}
