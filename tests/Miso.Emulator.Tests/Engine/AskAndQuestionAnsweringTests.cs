using System.Net;
using Miso.Emulator.Examples;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Engine;

public sealed class AskAndQuestionAnsweringTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    async Task<string> AskAsync(string body, string? key = null)
    {
        using var response = await Client.PostAsync("v1/ask/questions", body, key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal("success", json.GetProperty("message").GetString());
        return json.GetProperty("data").GetProperty("question_id").GetString()!;
    }

    [Fact]
    public async Task Ask_GivesAUuid_TheSameForTheSameRequest()
    {
        var first = await AskAsync("""{"question": "What is cotton?"}""");
        var same = await AskAsync("""{"question": "What is cotton?"}""");
        var other = await AskAsync("""{"question": "What is wool?"}""");

        Assert.True(Guid.TryParse(first, out _));
        Assert.Equal(first, same);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task Answer_IsFinished_AndCitesTheProductsSharingTheMostWords()
    {
        await MisoExamples.SeedAsync(Client);
        var parent = Guid.NewGuid().ToString();
        var id = await AskAsync($$"""{"question": "Which shirt is made of cotton?", "parent_question_id": "{{parent}}", "source_fl": ["title", "brand"]}""");

        using var response = await Client.CallAsync(HttpMethod.Get, $"v1/ask/questions/{id}/answer", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await response.JsonAsync()).GetProperty("data");
        Assert.Equal("Which shirt is made of cotton?", data.GetProperty("question").GetString());
        Assert.Equal(id, data.GetProperty("question_id").GetString());
        Assert.Equal(parent, data.GetProperty("parent_question_id").GetString());
        Assert.True(data.GetProperty("finished").GetBoolean());
        Assert.Equal("success", data.GetProperty("finish_reason").GetString());
        Assert.Contains("Blue cotton shirt [1]", data.GetProperty("answer").GetString());
        Assert.Equal("""{"product_id":"shirt-1","title":"Blue cotton shirt","brand":"Bco"}""", data.GetProperty("sources")[0].GetRawText());
    }

    [Fact]
    public async Task Answer_Returns404_ForAQuestionNeverAsked_In_ThisEnvironment()
    {
        var id = await AskAsync("""{"question": "Where?"}""", Development.SecretKey);

        using var response = await Client.CallAsync(HttpMethod.Get, $"v1/ask/questions/{id}/answer", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"message":"not found"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Answer_Returns422_WhenTheQuestionIdIsNotAUuid()
    {
        using var response = await Client.CallAsync(HttpMethod.Get, "v1/ask/questions/not-a-uuid/answer", null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("""{"detail":[{"loc":["path","question_id"],"msg":"value is not a valid uuid","type":"type_error.uuid"}]}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task QuestionAnswering_AnswersFromTheHtmlOfProductsEnabledForIt_AboveTheMinimumProbability()
    {
        await MisoExamples.SeedAsync(Client);
        (await Client.PostAsync("v1/products", """{"data": [{"product_id": "off", "html": "<p>cotton shirt</p>"}]}""")).EnsureSuccessStatusCode();

        using var response = await Client.PostAsync("v1/qa/question_answering", """{"q": "Is the shirt wool?", "min_probability": 0.6, "rows": 5, "enable_answer_block": true, "fl": ["title"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await response.JsonAsync()).GetProperty("data");
        Assert.Equal(1, data.GetProperty("total").GetInt32());
        var answer = Assert.Single(data.GetProperty("answers").EnumerateArray());
        Assert.Equal("shirt-1", answer.GetProperty("product_id").GetString());
        Assert.Equal("Blue cotton shirt", answer.GetProperty("title").GetString());
        Assert.Equal(0.75, answer.GetProperty("answer").GetProperty("probability").GetDouble());
        Assert.Equal("The blue shirt is made of cotton.", answer.GetProperty("answer").GetProperty("text").GetString());
        Assert.Equal("Blue cotton shirt", answer.GetProperty("answer_block").GetProperty("title").GetString());
        Assert.Equal("Is the shirt wool?", data.GetProperty("spellcheck").GetProperty("original_query").GetString());
    }

    [Fact]
    public async Task QuestionBank_IsReplacedWhole_AndAutocompleteSuggestsByWeight()
    {
        (await Client.PostAsync("v1/qa/questions", """{"data": [{"question": "What is rust?"}]}""")).EnsureSuccessStatusCode();
        using var upload = await Client.PostAsync("v1/qa/questions", """{"data": [{"question": "What is python?"}, {"question": "What is pypy?", "weight": 3}, {"question": "How to sort?"}]}""");

        using var response = await Client.PostAsync("v1/qa/question_autocomplete", """{"q": "what is p"}""");

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.True(Guid.TryParse((await upload.JsonAsync()).GetProperty("data").GetProperty("miso_id").GetString(), out _));
        Assert.Equal("""[{"question":"What is pypy?","weight":3},{"question":"What is python?","weight":1}]""",
            (await response.JsonAsync()).GetProperty("data").GetProperty("completions").GetRawText());
    }

    [Theory]
    [InlineData("v1/qa/question_answering", """{"q": "x"}""", "min_probability", "value_error.missing")]
    [InlineData("v1/qa/question_answering", """{"q": "x", "min_probability": 2}""", "min_probability", "value_error.number.not_le")]
    [InlineData("v1/qa/question_answering", """{"q": "x", "min_probability": 0.5, "version": "v9"}""", "version", "type_error.enum")]
    [InlineData("v1/qa/question_autocomplete", """{"q": ""}""", "q", "value_error.any_str.min_length")]
    [InlineData("v1/qa/questions", """{"data": [{"weight": 1}]}""", "data.0.question", "value_error.missing")]
    [InlineData("v1/ask/questions", """{"question": "x", "parent_question_id": "nope"}""", "parent_question_id", "type_error.uuid")]
    [InlineData("v1/ask/questions", """{"question": "x", "user_type": "vip"}""", "user_type", "type_error.enum")]
    public async Task Routes_Return422InFastApisShape_ForInvalidBodies(string path, string body, string loc, string type)
    {
        using var response = await Client.PostAsync(path, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var issue = Assert.Single((await response.JsonAsync()).GetProperty("detail").EnumerateArray());
        Assert.Equal("body." + loc, string.Join(".", issue.GetProperty("loc").EnumerateArray().Select(l => l.ToString())));
        Assert.Equal(type, issue.GetProperty("type").GetString());
    }
}
