using System.Net;
using System.Text.Json;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Engine;

public sealed class ExperimentTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    async Task<JsonElement> EventAsync(string experiment, string body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Client.PostAsync($"v1/experiments/{experiment}/events", body);
        Assert.Equal(expected, response.StatusCode);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task Event_PutsAPersonAlwaysInTheSameVariant_AndPeopleInBoth()
    {
        var variants = new Dictionary<string, string>();
        for (var i = 0; i < 20; i++)
            variants[$"u{i}"] = (await EventAsync("checkout-test", $$"""{"user_id": "u{{i}}"}""")).GetProperty("variant").GetProperty("name").GetString()!;
        var again = await EventAsync("checkout-test", """{"user_id": "u7", "timestamp": "2024-01-01T00:00:00Z"}""");

        Assert.Equal(["control", "treatment"], variants.Values.Distinct().Order());
        Assert.Equal(variants["u7"], again.GetProperty("variant").GetProperty("name").GetString());
        Assert.True(again.GetProperty("in_experiment").GetBoolean());
        Assert.Equal("Active", again.GetProperty("variant").GetProperty("status").GetString());
        Assert.Equal(0, again.GetProperty("took").GetInt32());
    }

    [Fact]
    public async Task Event_UsesTheNamedVariant_AndAnswers404ForAnUnknownOne()
    {
        var named = await EventAsync("e", """{"anonymous_id": "a", "variant_name": "treatment"}""");
        var unknown = await EventAsync("e", """{"anonymous_id": "a", "variant_name": "blue"}""", HttpStatusCode.NotFound);

        Assert.Equal("treatment", named.GetProperty("variant").GetProperty("slug").GetString());
        Assert.Equal("Variant is not found. Please check your variant_name.", unknown.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Event_IsNotInTheExperiment_WhenItNamesNoOne()
    {
        var json = await EventAsync("e", "{}");

        Assert.False(json.GetProperty("in_experiment").GetBoolean());
        Assert.Equal("control", json.GetProperty("variant").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("""{"user_id": 5}""", "body.user_id", "type_error.str")]
    [InlineData("""{"timestamp": "soon"}""", "body.timestamp", "value_error.datetime")]
    [InlineData("""{"user_id": }""", "body.12", "value_error.jsondecode")]
    [InlineData("", "body", "value_error.missing")]
    public async Task Event_Returns422InItsOwnShape(string body, string loc, string type)
    {
        var json = await EventAsync("e", body, HttpStatusCode.UnprocessableEntity);

        Assert.Equal("Request schema error. See \"data.errors\" for details", json.GetProperty("message").GetString());
        var error = Assert.Single(json.GetProperty("data").GetProperty("errors").EnumerateArray());
        Assert.Equal(loc, string.Join(".", error.GetProperty("loc").EnumerateArray().Select(l => l.ToString())));
        Assert.Equal(type, error.GetProperty("type").GetString());
    }
}
