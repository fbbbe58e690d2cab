using System.Net;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Engine;

/// <summary>Engine bodies are checked against the schemas of Miso's document and refused in FastAPI's shape.</summary>
public sealed class EngineValidationTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    async Task<List<(string Loc, string Msg, string Type)>> IssuesAsync(string path, string body)
    {
        using var response = await Client.PostAsync(path, body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("detail").EnumerateArray()
            .Select(i => (string.Join(".", i.GetProperty("loc").EnumerateArray().Select(l => l.ToString())), i.GetProperty("msg").GetString()!, i.GetProperty("type").GetString()!))
            .ToList();
    }

    [Theory]
    [InlineData("""{"user_id": 42}""", "body.user_id", "str type expected", "type_error.str")]
    [InlineData("""{"rows": "5"}""", "body.rows", "value is not a valid integer", "type_error.integer")]
    [InlineData("""{"rows": 2.5}""", "body.rows", "value is not a valid integer", "type_error.integer")]
    [InlineData("""{"rows": null}""", "body.rows", "none is not an allowed value", "type_error.none.not_allowed")]
    [InlineData("""{"dedupe_product_group_id": "yes"}""", "body.dedupe_product_group_id", "value could not be parsed to a boolean", "type_error.bool")]
    [InlineData("""{"fl": "title"}""", "body.fl", "value is not a valid list", "type_error.list")]
    [InlineData("""{"user_cohort": "US"}""", "body.user_cohort", "value is not a valid dict", "type_error.dict")]
    [InlineData("""{"dithering": 0}""", "body.dithering", "ensure this value is greater than or equal to 1", "value_error.number.not_ge")]
    [InlineData("""{"pagination_id": "PAGE"}""", "body.pagination_id", "ensure this value has at most 512 characters", "value_error.any_str.max_length")]
    [InlineData("""{"user": "u1"}""", "body.user", "extra fields not permitted", "value_error.extra")]
    [InlineData("""[]""", "body", "value is not a valid dict", "type_error.dict")]
    [InlineData("""{"additional_interactions": [{"type": "click", "user_id": 1}]}""", "body.additional_interactions.0.user_id", "str type expected", "type_error.str")]
    public async Task UserToProducts_NamesTheField(string body, string loc, string msg, string type)
    {
        body = body.Replace("PAGE", new string('p', 513));

        var issues = await IssuesAsync("v1/recommendation/user_to_products", body);

        Assert.Equal([(loc, msg, type)], issues);
    }

    [Fact]
    public async Task UnknownInteractionType_ListsEveryPermittedType()
    {
        var issue = Assert.Single(await IssuesAsync("v1/search/search", """{"q": "x", "additional_interactions": [{"type": "teleport"}]}"""));

        Assert.Equal(("body.additional_interactions.0.type", "type_error.enum"), (issue.Loc, issue.Type));
        Assert.Contains("'product_detail_page_view'", issue.Msg);
        Assert.Contains("'add_to_cart'", issue.Msg);
        Assert.Contains("'custom'", issue.Msg);
    }

    [Fact]
    public async Task SeveralProblems_AreAllNamed()
    {
        var issues = await IssuesAsync("v1/search/autocomplete", """{"rows": "x", "fl": [1], "extra": true}""");

        Assert.Equal(["body.extra", "body.fl.0", "body.q", "body.rows"], issues.Select(i => i.Loc).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("", "body", "value_error.missing")]
    [InlineData("   ", "body", "value_error.missing")]
    [InlineData("{\"q\": ", "body.6", "value_error.jsondecode")]
    [InlineData("{\n  \"q\": x\n}", "body.9", "value_error.jsondecode")]
    public async Task MissingOrMalformedBody_Gets422WithThePosition(string body, string loc, string type)
    {
        var issue = Assert.Single(await IssuesAsync("v1/search/search", body));

        Assert.Equal((loc, type), (issue.Loc, issue.Type));
    }

    [Fact]
    public async Task MalformedBody_SaysWhereInPythonsTerms()
    {
        var issue = Assert.Single(await IssuesAsync("v1/search/search", "{\n  \"q\": x\n}"));

        Assert.Equal("Invalid JSON: line 2 column 8 (char 9)", issue.Msg);
    }

    [Fact]
    public async Task ValidBody_WithNullOptionalFields_IsServed()
    {
        using var response = await Client.PostAsync("v1/search/search", """{"q": "x", "user_id": null, "engine_id": null, "additional_interactions": [{"type": "search", "search": {"keywords": "x"}}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UnknownPathAndWrongMethod_GetFastApisAnswers()
    {
        using var unknown = await Client.PostAsync("v1/recommendation/everything", "{}");
        using var wrongMethod = await Client.CallAsync(HttpMethod.Get, "v1/search/search", null);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("""{"detail":"Not Found"}""", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("""{"detail":"Method Not Allowed"}""", await wrongMethod.Content.ReadAsStringAsync());
    }
}
