using System.Globalization;
using System.Text.Json;
using Miso.Emulator.Interactions;

namespace Miso.Emulator.Schemas;

/// <summary>
/// Checks a JSON value against the OpenAPI 3.0 subset Miso's document uses (type, properties, required,
/// additionalProperties, items, allOf, anyOf, enum, format, length, item-count and numeric bounds), strictly:
/// no coercion of strings to numbers or numbers to strings.
/// </summary>
sealed class SchemaValidator
{
    readonly MisoOpenApi _api;
    readonly List<SchemaProblem> _problems = [];
    readonly List<object> _path = [];

    SchemaValidator(MisoOpenApi api) => _api = api;

    public static List<SchemaProblem> Validate(MisoOpenApi api, JsonElement value, JsonElement schema)
    {
        var validator = new SchemaValidator(api);
        validator.Check(value, schema, nullable: false);
        return validator._problems;
    }

    void Check(JsonElement value, JsonElement schema, bool nullable)
    {
        schema = _api.Resolve(schema);
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!nullable)
                Add(ProblemKind.NotNull, [FirstType(schema)], value, nullable);
            return;
        }

        if (schema.TryGetProperty("allOf", out var all))
            foreach (var part in all.EnumerateArray())
                Check(value, part, nullable);
        if (schema.TryGetProperty("anyOf", out var any) && !CheckAnyOf(value, any, nullable))
            return;

        if (TypeOf(schema) is { } type && !HasType(value, type))
        {
            Add(ProblemKind.Type, [type], value, nullable);
            return;
        }
        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
            Add(ProblemKind.Enum, [.. allowed.EnumerateArray().Select(Text)], value, nullable);

        switch (value.ValueKind)
        {
            case JsonValueKind.String: CheckString(value, schema, nullable); break;
            case JsonValueKind.Number: CheckNumber(value, schema, nullable); break;
            case JsonValueKind.Array: CheckArray(value, schema, nullable); break;
            case JsonValueKind.Object: CheckObject(value, schema); break;
        }
    }

    // Pydantic tries each member of a union; when none fits, the closest one's problems are the useful ones.
    bool CheckAnyOf(JsonElement value, JsonElement options, bool nullable)
    {
        var tried = new List<List<SchemaProblem>>();
        foreach (var option in options.EnumerateArray())
        {
            var start = _problems.Count;
            Check(value, option, nullable);
            var found = _problems.GetRange(start, _problems.Count - start);
            _problems.RemoveRange(start, found.Count);
            if (found.Count == 0)
                return true;
            tried.Add(found);
        }
        if (tried.Count == 0)
            return true;
        var closest = tried.MinBy(t => t.Count)!;
        _problems.AddRange(closest is [{ Kind: ProblemKind.Enum } only] ? [MergedEnum(only, tried)] : closest);
        return false;
    }

    // A tagged union (interactions by `type`) fails on the tag in every member: name every permitted tag at once.
    static SchemaProblem MergedEnum(SchemaProblem first, List<List<SchemaProblem>> tried) => first with
    {
        Expected = [.. tried
            .SelectMany(t => t.Where(p => p.Kind == ProblemKind.Enum && p.Path.SequenceEqual(first.Path)))
            .SelectMany(p => p.Expected)
            .Distinct(StringComparer.Ordinal)],
    };

    void CheckString(JsonElement value, JsonElement schema, bool nullable)
    {
        var text = value.GetString()!;
        var length = text.EnumerateRunes().Count();
        if (Bound(schema, "minLength") is { } min && length < min)
            Add(ProblemKind.TooShort, [Text(schema.GetProperty("minLength"))], value, nullable);
        if (Bound(schema, "maxLength") is { } max && length > max)
            Add(ProblemKind.TooLong, [Text(schema.GetProperty("maxLength"))], value, nullable);
        if (schema.TryGetProperty("format", out var format) && !Matches(format.GetString()!, text))
            Add(ProblemKind.Format, [format.GetString()!], value, nullable);
    }

    void CheckNumber(JsonElement value, JsonElement schema, bool nullable)
    {
        var number = value.GetDouble();
        if (Bound(schema, "minimum") is { } min && number < min)
            Add(ProblemKind.TooSmall, [Text(schema.GetProperty("minimum"))], value, nullable);
        if (Bound(schema, "maximum") is { } max && number > max)
            Add(ProblemKind.TooLarge, [Text(schema.GetProperty("maximum"))], value, nullable);
    }

    void CheckArray(JsonElement value, JsonElement schema, bool nullable)
    {
        var count = value.GetArrayLength();
        // Pydantic's conlist renders its minimum as minLength in Miso's document.
        var minName = schema.TryGetProperty("minItems", out _) ? "minItems" : "minLength";
        if (Bound(schema, minName) is { } min && count < min)
            Add(ProblemKind.TooFewItems, [Text(schema.GetProperty(minName))], value, nullable);
        if (Bound(schema, "maxItems") is { } max && count > max)
            Add(ProblemKind.TooManyItems, [Text(schema.GetProperty("maxItems"))], value, nullable);
        if (!schema.TryGetProperty("items", out var items))
            return;
        var index = 0;
        foreach (var item in value.EnumerateArray())
            Nested(index++, () => Check(item, items, nullable: false));
    }

    void CheckObject(JsonElement value, JsonElement schema)
    {
        var hasProperties = schema.TryGetProperty("properties", out var properties);
        if (hasProperties)
        {
            var required = schema.TryGetProperty("required", out var names)
                ? names.EnumerateArray().Select(n => n.GetString()!).ToHashSet(StringComparer.Ordinal)
                : [];
            foreach (var property in properties.EnumerateObject())
            {
                if (value.TryGetProperty(property.Name, out var field))
                    Nested(property.Name, () => Check(field, property.Value, IsOptional(property, required)));
                else if (required.Contains(property.Name))
                    Nested(property.Name, () => Add(ProblemKind.Missing, [], value, false));
            }
        }

        if (!schema.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind == JsonValueKind.True)
            return;
        foreach (var field in value.EnumerateObject())
        {
            if (hasProperties && properties.TryGetProperty(field.Name, out _))
                continue;
            if (additional.ValueKind == JsonValueKind.False)
                Nested(field.Name, () => Add(ProblemKind.Extra, [], field.Value, false));
            else
                Nested(field.Name, () => Check(field.Value, additional, nullable: false));
        }
    }

    // Pydantic v1 documents an Optional field without a default; one with a default is not Optional, so null fails.
    static bool IsOptional(JsonProperty property, HashSet<string> required) =>
        !required.Contains(property.Name) && !property.Value.TryGetProperty("default", out _);

    void Nested(object segment, Action check)
    {
        _path.Add(segment);
        check();
        _path.RemoveAt(_path.Count - 1);
    }

    void Add(ProblemKind kind, IReadOnlyList<string> expected, JsonElement value, bool nullable) =>
        _problems.Add(new SchemaProblem([.. _path], kind, expected, nullable, SchemaErrors.KindName(value)));

    static string? TypeOf(JsonElement schema) =>
        schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;

    string FirstType(JsonElement schema)
    {
        if (TypeOf(schema) is { } type)
            return type;
        foreach (var keyword in (string[])["anyOf", "allOf"])
            if (schema.TryGetProperty(keyword, out var options) && options.GetArrayLength() > 0)
                return FirstType(_api.Resolve(options[0]));
        return "object";
    }

    static bool HasType(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && Rules.IsIntegral(value),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        _ => true,
    };

    static bool Matches(string format, string text) => format switch
    {
        "date-time" => Formats.IsDateTime(text),
        "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "uuid" => Formats.IsUuid(text),
        "uri" => text.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(text, UriKind.Absolute, out _),
        "ipv4" => Formats.IsIPv4(text),
        _ => true,
    };

    static double? Bound(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var bound) && bound.ValueKind == JsonValueKind.Number ? bound.GetDouble() : null;

    static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
