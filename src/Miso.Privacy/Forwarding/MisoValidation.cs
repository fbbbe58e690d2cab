using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Miso.Privacy.Forwarding;

/// <summary>FastAPI's 422 body, which Miso's delete endpoints answer a malformed body with.</summary>
public sealed record MisoValidation(IReadOnlyList<MisoValidationIssue> Detail)
{
    public static JsonHttpResult<MisoValidation> Result(IEnumerable<MisoValidationIssue> issues) =>
        TypedResults.Json(new MisoValidation([.. issues]), statusCode: StatusCodes.Status422UnprocessableEntity);

    public static MisoValidationIssue Issue(string msg, string type, params object[] loc) => new(loc, msg, type);

    /// <summary>
    /// The <c>user_ids</c> of a <c>{"user_ids": [...]}</c> body (Miso's interaction delete), or with
    /// <paramref name="inData"/> of a <c>{"data": {"user_ids": [...]}}</c> one (its user delete); or why there are none.
    /// </summary>
    public static (List<string?>? UserIds, List<MisoValidationIssue>? Issues) ReadUserIds(ReadOnlyMemory<byte> body, bool inData = false)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            object[] at = inData ? ["body", "data"] : ["body"];
            if (inData)
            {
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out root))
                    return (null, [Issue("field required", "value_error.missing", "body", "data")]);
                if (root.ValueKind != JsonValueKind.Object)
                    return (null, [Issue("value is not a valid dict", "type_error.dict", "body", "data")]);
            }
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("user_ids", out var ids))
                return (null, [Issue("field required", "value_error.missing", [.. at, "user_ids"])]);
            if (ids.ValueKind != JsonValueKind.Array)
                return (null, [Issue("value is not a valid list", "type_error.list", [.. at, "user_ids"])]);

            var issues = new List<MisoValidationIssue>();
            var userIds = new List<string?>(ids.GetArrayLength());
            var index = 0;
            foreach (var id in ids.EnumerateArray())
            {
                if (id.ValueKind == JsonValueKind.String) userIds.Add(id.GetString());
                else issues.Add(Issue("str type expected", "type_error.str", [.. at, "user_ids", index]));
                index++;
            }
            return issues.Count == 0 ? (userIds, null) : (null, issues);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return (null, [Issue("Request body is not valid JSON.", "value_error.jsondecode", "body")]);
        }
    }
}

public sealed record MisoValidationIssue(IReadOnlyList<object> Loc, string Msg, string Type);
