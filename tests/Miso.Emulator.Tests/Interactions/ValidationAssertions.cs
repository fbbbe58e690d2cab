using System.Net;
using System.Text.Json.Nodes;
using Miso.Emulator.Inspection;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Interactions;

static class ValidationAssertions
{
    public const string SchemaErrorsMessage =
        "None of the records were inserted because at least one of them contained schema errors. Please see the `data` field for details.";

    /// <summary>Posts five records with <paramref name="invalid"/> at position 3 and checks Miso's 422 and that nothing was stored.</summary>
    public static async Task AssertRejectedAt3Async(
        HttpClient client, EmulatorInspector inspector, JsonNode invalid, params string[] expectedMessages)
    {
        using var response = await client.UploadAsync(MisoRequests.BatchWithInvalidAt3(invalid));
        await AssertSchemaErrorsAsync(response, expectedMessages);
        Assert.Empty(await inspector.GetInteractionsAsync());
        var stats = await inspector.GetStatsAsync();
        Assert.Equal((0, 1, 0), (stats.Uploads, stats.Rejected, stats.Interactions));
    }

    public static async Task AssertSchemaErrorsAsync(HttpResponseMessage response, params string[] expectedMessages)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.True(json.GetProperty("errors").GetBoolean());
        Assert.Equal(SchemaErrorsMessage, json.GetProperty("message").GetString());
        Assert.Equal(expectedMessages, json.GetProperty("data").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    public static async Task AssertAcceptedAsync(HttpClient client, JsonNode record)
    {
        using var response = await client.UploadAsync([record]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
