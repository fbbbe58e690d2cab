using System.Text.Json;
using System.Text.Json.Nodes;
using Miso.Emulator.Environments;
using Miso.Emulator.Pipeline;

namespace Miso.Emulator.Engine;

/// <summary>
/// Miso's experiment events: every experiment has a <c>control</c> and a <c>treatment</c> variant, and a person
/// (user_id, else anonymous_id) is always put in the same one. This route words its errors its own way.
/// </summary>
static class Experiments
{
    public const string InvalidApiKey = "api_key is invalid. Please check your api_key in Dojo.";
    const string SchemaError = "Request schema error. See \"data.errors\" for details";
    const string UnknownVariant = "Variant is not found. Please check your variant_name.";
    static readonly string[] Variants = ["control", "treatment"];

    public static EngineAnswer Event(EnvironmentState environment, string experiment, byte[] body)
    {
        if (!FastApiBody.TryParse(body, out var document, out var issues))
            return Invalid(issues);

        using (document)
        {
            var root = document.RootElement;
            issues = FastApiBody.Validate(root, "ExperimentRequest");
            if (issues.Count > 0)
                return Invalid(issues);

            var request = new EngineRequest(environment, "experiments", root);
            var person = request.UserId ?? request.AnonymousId;
            var variant = request.String("variant_name")
                ?? Variants[person is null ? 0 : (int)(StableIds.Number($"{experiment}\n{person}") % (uint)Variants.Length)];
            if (!Variants.Contains(variant))
                return EngineAnswer.Message(StatusCodes.Status404NotFound, UnknownVariant);

            return new EngineAnswer(StatusCodes.Status200OK, new JsonObject
            {
                ["took"] = 0,
                ["in_experiment"] = person is not null,
                ["variant"] = new JsonObject
                {
                    ["id"] = StableIds.TaskId("experiments", System.Text.Encoding.UTF8.GetBytes($"{experiment}\n{variant}")),
                    ["name"] = variant,
                    ["slug"] = variant,
                    ["configuration"] = new JsonObject(),
                    ["status"] = "Active",
                },
            });
        }
    }

    static EngineAnswer Invalid(IReadOnlyList<ValidationIssue> issues) => new(
        StatusCodes.Status422UnprocessableEntity,
        new JsonObject
        {
            ["message"] = SchemaError,
            ["data"] = new JsonObject { ["errors"] = JsonSerializer.SerializeToNode(issues) },
        });
}
