using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Miso.Emulator.Pipeline;

static class MisoResults
{
    public const string InvalidApiKey = "invalid api key.";

    public const string SecretKeyRequired =
        "Request is denied due to bot blocking. Please only access this API from a real browser or use Secret API Key instead.";

    public static IResult Message(string message, int status = StatusCodes.Status200OK) =>
        Results.Json(new { message }, statusCode: status);

    public static IResult Success() => Message("success");

    public static IResult NotFound() => Message("not found", StatusCodes.Status404NotFound);

    /// <summary>Miso's <c>{"message", "data": ...}</c> envelope, used by every engine and read route.</summary>
    public static IResult Data(JsonNode data, string message = "success") =>
        Results.Json(new JsonObject { ["message"] = message, ["data"] = data });

    /// <summary>An accepted asynchronous write (<c>CreateResponse</c>, <c>DeleteResponse</c>), its task id derived from the call.</summary>
    public static IResult TaskAccepted(string message, HttpContext context) =>
        Data(new JsonObject { ["task_id"] = StableIds.TaskId($"{context.Request.Method} {context.Request.Path}", context.MisoCall().Body) }, message);

    public static IResult MalformedJson(string detail) =>
        Results.Json(new { errors = true, message = $"Request body is not valid JSON. {detail}" }, statusCode: StatusCodes.Status400BadRequest);

    public static IResult SchemaErrors(string message, IReadOnlyList<string> errors) =>
        Results.Json(new { errors = true, message, data = errors }, statusCode: StatusCodes.Status422UnprocessableEntity);

    /// <summary>FastAPI's validation shape, which Miso's delete and engine endpoints document for a bad body.</summary>
    public static IResult ValidationDetail(IReadOnlyList<ValidationIssue> issues) =>
        Results.Json(new { detail = issues }, statusCode: StatusCodes.Status422UnprocessableEntity);
}

sealed record ValidationIssue(
    [property: JsonPropertyName("loc")] IReadOnlyList<object> Loc,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("type")] string Type);
