using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Inspection;

public sealed class InspectionTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task Environments_ListsNamesAndKeys()
    {
        var json = JsonDocument.Parse(await Client.GetStringAsync("_emulator/environments")).RootElement;

        Assert.Equal("production", json[0].GetProperty("name").GetString());
        Assert.Equal("emu-production-secret-key", json[0].GetProperty("secret_key").GetString());
        Assert.Equal("emu-production-publishable-key", json[0].GetProperty("publishable_key").GetString());
        Assert.Equal([Production, Development], await Inspector.GetEnvironmentsAsync());
    }

    [Fact]
    public async Task Interactions_FilterByEnvironmentUserAndAnonymousId()
    {
        JsonNode[] records =
        [
            new JsonObject { ["type"] = "click", ["user_id"] = "u1", ["anonymous_id"] = "x" },
            new JsonObject { ["type"] = "click", ["user_id"] = "u1", ["anonymous_id"] = "y" },
            new JsonObject { ["type"] = "click", ["user_id"] = "u2", ["anonymous_id"] = "x" },
            new JsonObject { ["type"] = "click", ["anonymous_id"] = "x" },
        ];
        (await Client.UploadAsync(records, Production.PublishableKey)).EnsureSuccessStatusCode();
        (await Client.UploadAsync(records.Take(1), Development.SecretKey)).EnsureSuccessStatusCode();

        Assert.Equal(5, (await Inspector.GetInteractionsAsync()).Count);
        Assert.Equal(4, (await Inspector.GetInteractionsAsync("production")).Count);
        Assert.Equal(3, (await Inspector.GetInteractionsAsync(userId: "u1")).Count);
        Assert.Equal(3, (await Inspector.GetInteractionsAsync("production", anonymousId: "x")).Count);
        var one = Assert.Single(await Inspector.GetInteractionsAsync("production", "u1", "y"));
        Assert.Equal("y", one.GetProperty("anonymous_id").GetString());
    }

    [Fact]
    public async Task Stats_CountPerEnvironment_AndSumWhenNoneNamed()
    {
        (await Client.UploadAsync([MisoRequests.ValidRecord(0), MisoRequests.ValidRecord(1)], Production.SecretKey)).Dispose();
        (await Client.UploadAsync([MisoRequests.ValidRecord(2)], Development.SecretKey)).Dispose();
        (await Client.UploadAsync("""{"data": [{"type": "nope"}]}""", Development.SecretKey)).Dispose();
        (await Client.DeleteInteractionsAsync(["user-0", "user-9"], Production.SecretKey)).Dispose();

        var production = await Inspector.GetStatsAsync("production");
        var all = await Inspector.GetStatsAsync();

        Assert.Equal(new(1, 1, 1, 2, 0, 0), production);
        Assert.Equal(new(2, 2, 1, 2, 0, 1), all);
        using var raw = await Client.GetAsync("_emulator/stats?environment=development");
        Assert.Equal("""{"uploads":1,"interactions":1,"delete_calls":0,"deleted_user_ids":0,"user_delete_calls":0,"rejected":1}""",
            await raw.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Calls_RecordEachCall_OldestFirst_WithItsShape()
    {
        var body = MisoRequests.Batch([MisoRequests.ValidRecord(0, "a"), MisoRequests.ValidRecord(1, "b")]);
        (await Client.UploadAsync(body, Development.PublishableKey)).Dispose();
        (await Client.DeleteInteractionsAsync(["a", "c"], Production.SecretKey)).Dispose();

        using var raw = await Client.GetAsync("_emulator/calls");
        var json = (await raw.JsonAsync()).EnumerateArray().ToList();
        Assert.Equal(2, json.Count);
        Assert.Equal(["environment", "method", "path", "status", "time", "body_size", "user_ids", "anonymous_ids", "user_hashes"],
            json[0].EnumerateObject().Select(p => p.Name));
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$"), json[0].GetProperty("time").GetString()!);

        var calls = await Inspector.GetCallsAsync();
        Assert.Equal(("development", "POST", "/v1/interactions", 200), (calls[0].Environment, calls[0].Method, calls[0].Path, calls[0].Status));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(body), calls[0].BodySize);
        Assert.Equal(["a", "b"], calls[0].UserIds);
        Assert.Equal(("production", "DELETE", 200), (calls[1].Environment, calls[1].Method, calls[1].Status));
        Assert.Equal(["a", "c"], calls[1].UserIds);
        Assert.True(calls[0].Time <= calls[1].Time);
    }

    [Fact]
    public async Task Calls_ReturnTheMostRecent_FilteredByEnvironment()
    {
        for (var i = 0; i < 5; i++)
            (await Client.UploadAsync([MisoRequests.ValidRecord(i)], i % 2 == 0 ? Production.SecretKey : Development.SecretKey)).Dispose();

        var lastTwo = await Inspector.GetCallsAsync(limit: 2);
        var production = await Inspector.GetCallsAsync("production", limit: 2);

        Assert.Equal([["user-3"], ["user-4"]], lastTwo.Select(c => c.UserIds));
        Assert.Equal([["user-2"], ["user-4"]], production.Select(c => c.UserIds));
    }

    [Fact]
    public async Task Calls_RecordUserIds_WhenUploadIsRejected()
    {
        (await Client.UploadAsync("""{"data": [{"type": "click", "user_id": "a"}, {"type": "bad", "user_id": "b"}]}""")).Dispose();

        var call = Assert.Single(await Inspector.GetCallsAsync());
        Assert.Equal(422, call.Status);
        Assert.Equal(["a", "b"], call.UserIds);
    }

    [Fact]
    public async Task Reset_ClearsInteractionsUsersCallsStatsAndFaults()
    {
        (await Client.UploadAsync([MisoRequests.ValidRecord(0)])).Dispose();
        await Inspector.SetFaultsAsync(new() { LatencyMs = 1 });

        await Inspector.ResetAsync();

        Assert.Empty(await Inspector.GetInteractionsAsync());
        Assert.Empty(await Inspector.GetCallsAsync());
        Assert.Empty(await Inspector.GetFaultsAsync());
        Assert.Equal(new(0, 0, 0, 0, 0, 0), await Inspector.GetStatsAsync());
    }

    [Theory]
    [InlineData("_emulator/stats?environment=staging")]
    [InlineData("_emulator/interactions?environment=staging")]
    [InlineData("_emulator/calls?environment=staging")]
    public async Task Inspection_Returns404_WhenEnvironmentIsUnknown(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
