using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Miso.Emulator.Engine;

/// <summary>
/// Miso's Q&amp;A APIs: answers come from the <c>html</c> of products with <c>enable_question_answering</c>, scored by the
/// share of the question's words they contain; autocomplete suggests banked questions containing what was typed.
/// </summary>
static partial class QuestionAnswering
{
    public static readonly EngineRoute[] Routes =
    [
        new("qa/question_answering", "QuestionAnsweringRequest", Answer),
        new("qa/question_autocomplete", "QuestionAutocompleteRequest", Autocomplete),
    ];

    static EngineAnswer Answer(EngineRequest request)
    {
        var query = request.String("q")!;
        var words = Catalog.Words(query);
        var minimum = request.Number("min_probability") ?? 0;
        var answers = Catalog.Items(request.Environment)
            .Where(i => i.Record is { } record && record.TryGetProperty("enable_question_answering", out var enabled)
                && enabled.ValueKind == JsonValueKind.True && i.Text("html") is not null)
            .Select(i => (item: i, text: PlainText(i.Text("html")!)))
            .Select(a => (a.item, a.text, probability: words.Length == 0 ? 0 : Math.Round((double)words.Count(a.text.ToLowerInvariant().Contains) / words.Length, 2)))
            .Where(a => a.probability > 0 && a.probability >= minimum)
            .OrderByDescending(a => a.probability)
            .ToList();

        var withBlock = request.Flag("enable_answer_block", false);
        var withHtml = request.Flag("enable_answer_html", false);
        var records = new JsonArray();
        foreach (var (item, text, probability) in answers.Take(request.Count("rows", 1)))
        {
            var answer = new JsonObject { ["probability"] = probability, ["text"] = text, ["css_selector"] = "body" };
            if (withHtml)
                answer["html"] = item.Text("html");
            var record = item.Project(request.Strings("fl"));
            record["answer"] = answer;
            if (withBlock)
                record["answer_block"] = new JsonObject
                {
                    ["html"] = item.Text("html"),
                    ["css_selector"] = "body",
                    ["relevant_children_slice"] = new JsonArray(0, 1),
                    ["answer_css_selector"] = "body",
                    ["title"] = item.Text("title") ?? item.ProductId,
                };
            records.Add(record);
        }

        var data = request.Data();
        data["total"] = answers.Count;
        data["spellcheck"] = new JsonObject
        {
            ["spelling_errors"] = false,
            ["auto_spelling_correction"] = false,
            ["original_query"] = query,
            ["original_query_with_markups"] = query,
            ["corrected_query"] = query,
            ["corrected_query_with_markups"] = query,
        };
        data["answers"] = records;
        return EngineAnswer.Ok(data);
    }

    static EngineAnswer Autocomplete(EngineRequest request)
    {
        var typed = request.String("q")!;
        var completions = request.Environment.QuestionBank.Questions
            .Where(q => q.Question.Contains(typed, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(q => q.Weight)
            .Take(request.Count("rows", 5))
            .Select(q => (JsonNode)new JsonObject { ["question"] = q.Question, ["weight"] = q.Weight });
        var data = request.Data();
        data["completions"] = new JsonArray([.. completions]);
        return EngineAnswer.Ok(data);
    }

    /// <summary>The bank upload (<c>POST /v1/qa/questions</c>) replaces every question, as Miso's does.</summary>
    public static EngineAnswer ReplaceBank(EngineRequest request)
    {
        var questions = request.Body.GetProperty("data").EnumerateArray()
            .Select(q => new BankedQuestion(
                q.GetProperty("question").GetString()!,
                q.TryGetProperty("weight", out var weight) && weight.ValueKind == JsonValueKind.Number ? weight.GetDouble() : 1))
            .ToList();
        request.Environment.QuestionBank.Replace(questions);
        return EngineAnswer.Ok(request.Data());
    }

    static string PlainText(string html) => Whitespace().Replace(Tags().Replace(html, " "), " ").Trim();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
