using System.Text.Json.Nodes;
using Miso.Emulator.Pipeline;

namespace Miso.Emulator.Engine;

/// <summary>
/// Miso's Bulk API: each inner request is answered as its own route would answer it (validation and key rules
/// included), in order; one failing does not stop the others.
/// </summary>
static class Bulk
{
    public static EngineAnswer Answer(MisoCall call, IReadOnlyDictionary<string, EngineRoute> routes)
    {
        if (!FastApiBody.TryParse(call.Body, out var document, out var issues))
            return EngineAnswer.Invalid(issues);

        using (document)
        {
            issues = FastApiBody.Validate(document.RootElement, "BulkRequest");
            if (issues.Count > 0)
                return EngineAnswer.Invalid(issues);

            var answers = new JsonArray();
            foreach (var inner in document.RootElement.GetProperty("requests").EnumerateArray())
            {
                var name = inner.GetProperty("api_name").GetString()!;
                var answer = routes.TryGetValue(name, out var route)
                    ? route.Answer(call.Environment, call.IsSecret, inner.GetProperty("body"))
                    : EngineAnswer.Message(StatusCodes.Status404NotFound, "not found");
                answers.Add(new JsonObject
                {
                    ["error"] = answer.Status >= 400,
                    ["status_code"] = answer.Status,
                    ["body"] = answer.Body,
                });
            }
            return new EngineAnswer(StatusCodes.Status200OK, new JsonObject
            {
                ["data"] = answers,
                ["errors"] = answers.Any(a => a!["error"]!.GetValue<bool>()),
            });
        }
    }
}
