using System.Text.Json;

namespace Miso.Emulator.Schemas;

/// <summary>One path and method of Miso's OpenAPI document, with the schema of each documented status (null when it has none).</summary>
public sealed record MisoOperation(string Method, string Path, IReadOnlyDictionary<string, string?> ResponseSchemas)
{
    /// <summary>As <see cref="Examples.MisoExamples.Requests"/> keys it: <c>POST /v1/search/search</c>.</summary>
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>
/// Miso's OpenAPI document, embedded from <c>Reference/miso-openapi.json</c>: the request schemas the emulator
/// validates against are Miso's own, not a transcription of them.
/// </summary>
public sealed class MisoOpenApi
{
    const string SchemaPrefix = "#/components/schemas/";
    static readonly Lazy<MisoOpenApi> _instance = new(Load);

    readonly JsonElement _schemas;

    MisoOpenApi(JsonDocument document)
    {
        Document = document;
        _schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
    }

    public static MisoOpenApi Instance => _instance.Value;

    public JsonDocument Document { get; }

    public JsonElement Schema(string name) =>
        _schemas.TryGetProperty(name, out var schema)
            ? schema
            : throw new ArgumentException($"Miso's OpenAPI document has no schema '{name}'.", nameof(name));

    /// <summary>Follows <c>$ref</c> until a schema that is not a reference.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
            schema = Schema(reference.GetString()![SchemaPrefix.Length..]);
        return schema;
    }

    /// <summary>Every path and method of the document, in its order.</summary>
    public IReadOnlyList<MisoOperation> Operations()
    {
        var operations = new List<MisoOperation>();
        foreach (var path in Document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name != "parameters"))
            {
                var responses = operation.Value.GetProperty("responses").EnumerateObject().ToDictionary(
                    r => r.Name,
                    r => r.Value.TryGetProperty("content", out var content)
                        && content.GetProperty("application/json").TryGetProperty("schema", out var schema)
                        && schema.TryGetProperty("$ref", out var reference)
                            ? reference.GetString()![SchemaPrefix.Length..]
                            : null);
                operations.Add(new MisoOperation(operation.Name.ToUpperInvariant(), path.Name, responses));
            }
        }
        return operations;
    }

    /// <summary>Problems of <paramref name="value"/> against the named component schema, as readable lines; none when it conforms.</summary>
    public IReadOnlyList<string> Check(string schemaName, JsonElement value) =>
        SchemaValidator.Validate(this, value, Schema(schemaName))
            .Select(p => $"{(p.Path.Count == 0 ? "$" : string.Join(".", p.Path))}: {p.ToFastApi().Msg}")
            .ToList();

    /// <summary>Another copy of the document, e.g. the repository's, to check answers against.</summary>
    public static MisoOpenApi Load(Stream document) => new(JsonDocument.Parse(document));

    static MisoOpenApi Load()
    {
        using var stream = typeof(MisoOpenApi).Assembly.GetManifestResourceStream("Miso.Emulator.miso-openapi.json")
            ?? throw new InvalidOperationException("The embedded OpenAPI document is missing from the emulator's assembly.");
        return Load(stream);
    }
}
