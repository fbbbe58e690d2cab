using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Miso.Emulator.Environments;
using Miso.Emulator.Pipeline;

namespace Miso.Emulator.Engine;

/// <summary>A validated engine request body, with the defaults Miso's schemas give its fields.</summary>
sealed class EngineRequest(EnvironmentState environment, string route, JsonElement body)
{
    const int MaxRows = 10_000;

    public EnvironmentState Environment => environment;
    public JsonElement Body => body;

    /// <summary>Derived from the route and the body's bytes: the same request gets the same <c>miso_id</c>.</summary>
    public string MisoId => StableIds.Uuid(route, JsonMarshal.GetRawUtf8Value(body));

    public string? UserId => String("user_id");
    public string? AnonymousId => String("anonymous_id");

    public string? String(string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A count such as <c>rows</c> or <c>start</c>, kept within [0, 10,000].</summary>
    public int Count(string name, int fallback) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? (int)Math.Clamp(value.GetDouble(), 0, MaxRows)
            : fallback;

    public double? Number(string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    public bool Flag(string name, bool fallback) =>
        body.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : fallback;

    public List<string> Strings(string name, params string[] fallback) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [.. fallback];

    /// <summary>The start of an engine answer's <c>data</c>: <c>took</c> and <c>miso_id</c>, both fixed for a given request.</summary>
    public JsonObject Data() => new() { ["took"] = 0, ["miso_id"] = MisoId };
}

/// <summary>What an engine route answers, as a status and a JSON body (also an inner answer of <c>/v1/bulk</c>).</summary>
sealed record EngineAnswer(int Status, JsonNode Body)
{
    public static EngineAnswer Ok(JsonNode data) => new(StatusCodes.Status200OK, new JsonObject { ["message"] = "success", ["data"] = data });

    public static EngineAnswer Message(int status, string message) => new(status, new JsonObject { ["message"] = message });

    public static EngineAnswer Invalid(IReadOnlyList<ValidationIssue> issues) =>
        new(StatusCodes.Status422UnprocessableEntity, new JsonObject { ["detail"] = JsonSerializer.SerializeToNode(issues) });

    public IResult ToResult() => Results.Json(Body, statusCode: Status);
}
