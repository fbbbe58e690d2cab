using System.Net;
using Miso.Emulator.Examples;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Engine;

public sealed class BulkTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task Bulk_AnswersEachInnerRequest_ExactlyAsItsOwnRouteWould_InOrder()
    {
        await MisoExamples.SeedAsync(Client);
        string[] inner =
        [
            """{"q": "shirt", "user_id": "u1", "fl": ["title"]}""",
            """{"anonymous_id": "a1", "rows": 2}""",
            """{"q": "bl"}""",
        ];
        string[] routes = ["search/search", "recommendation/user_to_products", "search/autocomplete"];
        var direct = new List<string>();
        for (var i = 0; i < inner.Length; i++)
        {
            using var single = await Client.PostAsync($"v1/{routes[i]}", inner[i]);
            direct.Add(await single.Content.ReadAsStringAsync());
        }

        using var response = await Client.PostAsync("v1/bulk",
            $$"""{"requests": [{{string.Join(", ", routes.Select((r, i) => $$"""{"api_name": "{{r}}", "body": {{inner[i]}}}"""))}}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.False(json.GetProperty("errors").GetBoolean());
        var answers = json.GetProperty("data").EnumerateArray().ToList();
        Assert.All(answers, a => Assert.False(a.GetProperty("error").GetBoolean()));
        Assert.All(answers, a => Assert.Equal(200, a.GetProperty("status_code").GetInt32()));
        Assert.Equal(direct, answers.Select(a => a.GetProperty("body").GetRawText()));
    }

    [Fact]
    public async Task Bulk_ReportsEachFailingInnerRequest_WithoutStoppingTheOthers()
    {
        using var response = await Client.PostAsync("v1/bulk", """
            {"requests": [
              {"api_name": "search/nothing", "body": {}},
              {"api_name": "recommendation/user_to_attributes", "body": {}},
              {"api_name": "recommendation/user_to_products", "body": {}},
              {"api_name": "users", "body": {"data": []}}
            ]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.True(json.GetProperty("errors").GetBoolean());
        var answers = json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([404, 422, 200, 404], answers.Select(a => a.GetProperty("status_code").GetInt32()));
        Assert.Equal([true, true, false, true], answers.Select(a => a.GetProperty("error").GetBoolean()));
        Assert.Equal("""{"detail":[{"loc":["body","field"],"msg":"field required","type":"value_error.missing"}]}""", answers[1].GetProperty("body").GetRawText());
        Assert.Empty(await Inspector.GetUsersAsync());
    }

    [Theory]
    [InlineData("""{"requests": []}""", "requests", "value_error.list.min_items")]
    [InlineData("""{"requests": [{"body": {}}]}""", "requests.0.api_name", "value_error.missing")]
    [InlineData("""{"requests": [{"api_name": "search/search", "body": []}]}""", "requests.0.body", "type_error.dict")]
    [InlineData("""{}""", "requests", "value_error.missing")]
    public async Task Bulk_Returns422_WhenTheEnvelopeIsInvalid(string body, string loc, string type)
    {
        using var response = await Client.PostAsync("v1/bulk", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var issue = Assert.Single((await response.JsonAsync()).GetProperty("detail").EnumerateArray());
        Assert.Equal("body." + loc, string.Join(".", issue.GetProperty("loc").EnumerateArray().Select(l => l.ToString())));
        Assert.Equal(type, issue.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Bulk_Returns422_ForMoreThanAHundredRequests()
    {
        var requests = string.Join(", ", Enumerable.Repeat("""{"api_name": "search/search", "body": {}}""", 101));

        using var response = await Client.PostAsync("v1/bulk", $$"""{"requests": [{{requests}}]}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("value_error.list.max_items", (await response.JsonAsync()).GetProperty("detail")[0].GetProperty("type").GetString());
    }
}
