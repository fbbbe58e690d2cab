using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Miso.Emulator.Environments;
using Miso.Emulator.Pipeline;

namespace Miso.Emulator.Engine;

/// <summary>
/// Miso's Ask API: a question gets an id at once and its answer is polled. The emulator's answer is finished at
/// the first poll, built from the products whose text shares the most words with the question.
/// </summary>
static class Ask
{
    const int Sources = 3;
    const int RelatedResources = 3;

    public static readonly EngineRoute[] Routes = [new("ask/questions", "QuestionRequest", Submit)];

    static EngineAnswer Submit(EngineRequest request)
    {
        var questionId = StableIds.From("ask/questions", JsonMarshal.GetRawUtf8Value(request.Body));
        request.Environment.Questions.Add(questionId, request.Body);
        return EngineAnswer.Ok(new JsonObject { ["question_id"] = questionId.ToString("D") });
    }

    public static EngineAnswer Answer(EnvironmentState environment, string questionId)
    {
        if (!Guid.TryParse(questionId, out var id))
            return EngineAnswer.Invalid([new ValidationIssue(["path", "question_id"], "value is not a valid uuid", "type_error.uuid")]);
        if (environment.Questions.Find(id) is not { } asked)
            return EngineAnswer.Message(StatusCodes.Status404NotFound, "not found");

        var request = new EngineRequest(environment, "ask/questions", asked);
        var question = request.String("question")!;
        var words = Catalog.Words(question);
        var relevant = Catalog.Items(environment)
            .Select(item => (item, shared: words.Count(item.SearchText().Contains)))
            .Where(m => m.shared > 0)
            .OrderByDescending(m => m.shared)
            .Select(m => m.item)
            .ToList();
        var sources = relevant.Take(Sources).ToList();

        var data = new JsonObject { ["question"] = question, ["question_id"] = id.ToString("D") };
        if (request.String("parent_question_id") is { } parent)
            data["parent_question_id"] = parent;
        data["answer_stage"] = "Generating summary";
        data["finished"] = true;
        data["finish_reason"] = "success";
        data["answer"] = sources.Count == 0
            ? "I could not find an answer to this question."
            : string.Join("\n", sources.Select((s, n) => $"- {s.Text("title") ?? s.ProductId} [{n + 1}]").Prepend($"# {question}\n"));
        data["sources"] = Catalog.Projected(request, sources, "source_fl", "title");
        data["related_resources"] = Catalog.Projected(request, relevant.Skip(Sources).Take(RelatedResources), "related_resource_fl", "title");
        data["followup_questions"] = new JsonArray();
        data["affiliation_products"] = new JsonArray();
        data["revision"] = 0;
        return EngineAnswer.Ok(data);
    }
}
