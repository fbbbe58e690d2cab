using Miso.Emulator.Interactions;
using Miso.Emulator.Pipeline;

namespace Miso.Emulator.Schemas;

enum ProblemKind { Missing, Extra, NotNull, Type, Enum, Format, TooShort, TooLong, TooFewItems, TooManyItems, TooSmall, TooLarge }

/// <summary>One way a JSON value breaks a schema, rendered in the two shapes Miso answers with.</summary>
/// <param name="Path">Property names and array indexes from the validated value down to the problem.</param>
/// <param name="Expected">The type names (Type), permitted values (Enum), format (Format), or the limit (bounds).</param>
/// <param name="Nullable">Whether null would have been accepted here.</param>
/// <param name="Given">The JSON kind that was given, in Miso's words (<see cref="SchemaErrors.KindName"/>).</param>
sealed record SchemaProblem(IReadOnlyList<object> Path, ProblemKind Kind, IReadOnlyList<string> Expected, bool Nullable, string Given)
{
    string Limit => Expected[0];

    /// <summary>Pydantic v1's message and type, as FastAPI puts them in <c>{"detail": [...]}</c>.</summary>
    public ValidationIssue ToFastApi(string location = "body")
    {
        var (msg, type) = Kind switch
        {
            ProblemKind.Missing => ("field required", "value_error.missing"),
            ProblemKind.Extra => ("extra fields not permitted", "value_error.extra"),
            ProblemKind.NotNull => ("none is not an allowed value", "type_error.none.not_allowed"),
            ProblemKind.Type => TypeError(Expected[0]),
            ProblemKind.Enum => ($"value is not a valid enumeration member; permitted: {Quoted(Expected)}", "type_error.enum"),
            ProblemKind.Format => FormatError(Limit),
            ProblemKind.TooShort => ($"ensure this value has at least {Limit} characters", "value_error.any_str.min_length"),
            ProblemKind.TooLong => ($"ensure this value has at most {Limit} characters", "value_error.any_str.max_length"),
            ProblemKind.TooFewItems => ($"ensure this value has at least {Limit} items", "value_error.list.min_items"),
            ProblemKind.TooManyItems => ($"ensure this value has at most {Limit} items", "value_error.list.max_items"),
            ProblemKind.TooSmall => ($"ensure this value is greater than or equal to {Limit}", "value_error.number.not_ge"),
            ProblemKind.TooLarge => ($"ensure this value is less than or equal to {Limit}", "value_error.number.not_le"),
            _ => throw new InvalidOperationException($"Unknown problem kind {Kind}."),
        };
        return new ValidationIssue([location, .. Path], msg, type);
    }

    /// <summary>Miso's record-upload message (<c>data.N.field is invalid. ...</c>), as for interactions.</summary>
    public void AddTo(SchemaErrors errors, string prefix, string recordKind)
    {
        var path = string.Join(".", Path.Prepend(prefix));
        switch (Kind)
        {
            case ProblemKind.Missing: errors.Required(path); break;
            case ProblemKind.Extra: errors.Add(path, $"The attribute is not allowed for {recordKind} records."); break;
            case ProblemKind.NotNull or ProblemKind.Type: errors.Type(path, Given, Nullable, [.. Expected]); break;
            case ProblemKind.Enum: errors.Add(path, $"The attribute should be one of {Quoted(Expected)}."); break;
            case ProblemKind.Format: errors.Format(path, Limit); break;
            case ProblemKind.TooShort: errors.Add(path, $"The attribute should be at least {Limit} characters long."); break;
            case ProblemKind.TooLong: errors.TooLong(path, int.Parse(Limit, System.Globalization.CultureInfo.InvariantCulture)); break;
            case ProblemKind.TooFewItems: errors.Add(path, $"The attribute should have at least {Limit} items."); break;
            case ProblemKind.TooManyItems: errors.Add(path, $"The attribute should have at most {Limit} items."); break;
            case ProblemKind.TooSmall: errors.Add(path, $"The attribute should be greater than or equal to {Limit}."); break;
            case ProblemKind.TooLarge: errors.Add(path, $"The attribute should be less than or equal to {Limit}."); break;
        }
    }

    static (string, string) TypeError(string type) => type switch
    {
        "string" => ("str type expected", "type_error.str"),
        "integer" => ("value is not a valid integer", "type_error.integer"),
        "number" => ("value is not a valid float", "type_error.float"),
        "boolean" => ("value could not be parsed to a boolean", "type_error.bool"),
        "array" => ("value is not a valid list", "type_error.list"),
        _ => ("value is not a valid dict", "type_error.dict"),
    };

    static (string, string) FormatError(string format) => format switch
    {
        "date-time" => ("invalid datetime format", "value_error.datetime"),
        "date" => ("invalid date format", "value_error.date"),
        "uuid" => ("value is not a valid uuid", "type_error.uuid"),
        "uri" => ("invalid or missing URL scheme", "value_error.url.scheme"),
        "ipv4" => ("value is not a valid IPv4 address", "value_error.ipv4address"),
        _ => ($"value is not a valid {format}", "value_error"),
    };

    static string Quoted(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"'{v}'"));
}
