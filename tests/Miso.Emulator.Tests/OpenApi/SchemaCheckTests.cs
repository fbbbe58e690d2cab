using System.Text.Json;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.OpenApi;

/// <summary>The schema check the walk relies on finds what breaks a schema, so a wrong answer cannot pass it.</summary>
public sealed class SchemaCheckTests
{
    static IReadOnlyList<string> Check(string schema, string json) => MisoDocument.Check(schema, JsonDocument.Parse(json).RootElement);

    [Theory]
    [InlineData("SearchResponse", """{"data": {"products": [], "total": 0, "start": 0}}""", "data.spellcheck: field required")]
    [InlineData("SearchResponse", """{"data": {"products": [{"title": "x"}], "total": 0, "start": 0, "spellcheck": {"spelling_errors": false, "auto_spelling_correction": false, "original_query": "", "original_query_with_markups": "", "corrected_query": "", "corrected_query_with_markups": ""}}}""", "data.products.0.product_id: field required")]
    [InlineData("RecResponse", """{"data": {"products": [], "miso_id": "nope"}}""", "data.miso_id: value is not a valid uuid")]
    [InlineData("RecResponse", """{"data": {"products": {}}}""", "data.products: value is not a valid list")]
    [InlineData("SendExperimentResponse", """{"took": 0, "in_experiment": true, "variant": {"id": "1", "name": "a", "slug": "a", "status": "Running"}}""", "variant.status: value is not a valid enumeration member; permitted: 'Draft', 'Scheduled', 'Active', 'Completed', 'Archived'")]
    [InlineData("ProductReadOut", """{"message": "success", "data": {"product_id": "a"}, "extra": 1}""", "extra: extra fields not permitted")]
    [InlineData("BulkResponse", """{"data": [{"error": false, "status_code": "200", "body": {}}], "errors": false}""", "data.0.status_code: value is not a valid integer")]
    [InlineData("QAResponse", """{"data": {"total": 1, "spellcheck": {"spelling_errors": false, "auto_spelling_correction": false, "original_query": "", "original_query_with_markups": "", "corrected_query": "", "corrected_query_with_markups": ""}, "answers": [{"product_id": "a", "answer": {"probability": 2, "text": "", "css_selector": ""}}]}}""", "data.answers.0.answer.probability: ensure this value is less than or equal to 1")]
    public void Check_NamesWhatBreaksTheSchema(string schema, string json, string problem)
    {
        Assert.Equal([problem], Check(schema, json));
    }

    [Theory]
    [InlineData("CreateResponse", """{"message": "success", "data": {"task_id": "t"}}""")]
    [InlineData("PollAnswerResponse", """{"data": {"question": "q", "question_id": "2d157dd7-56b4-8922-817c-bc5b1da72cc4", "finish_reason": "success"}}""")]
    [InlineData("AutocompleteResponse", """{"data": {"completions": {"title": [{"text": "a", "text_with_markups": "a", "text_with_inverted_markups": "a", "product": {"product_id": "p"}}]}}}""")]
    public void Check_FindsNothing_WhenTheAnswerConforms(string schema, string json)
    {
        Assert.Empty(Check(schema, json));
    }
}
