using System.Net;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Interactions;

public sealed class DeleteTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task Delete_RemovesExactlyTheListedUsers_InThatEnvironmentOnly()
    {
        var records = new[] { "a", "a", "b", "c" }.Select((u, i) => MisoRequests.ValidRecord(i, u)).ToList();
        records.Add(new() { ["type"] = "click", ["anonymous_id"] = "anon-only" });
        (await Client.UploadAsync(records, Production.SecretKey)).EnsureSuccessStatusCode();
        (await Client.UploadAsync(records, Development.SecretKey)).EnsureSuccessStatusCode();

        using var response = await Client.DeleteInteractionsAsync(["a", "c", "never-uploaded"], Production.SecretKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"message":"success"}""", await response.Content.ReadAsStringAsync());
        var production = await Inspector.GetInteractionsAsync("production");
        Assert.Equal(["b", null], production.Select(r => r.TryGetProperty("user_id", out var id) ? id.GetString() : null));
        Assert.Equal(5, (await Inspector.GetInteractionsAsync("development")).Count);
        var stats = await Inspector.GetStatsAsync("production");
        Assert.Equal((1L, 3L, 2L), (stats.DeleteCalls, stats.DeletedUserIds, stats.Interactions));
    }

    [Fact]
    public async Task Delete_Returns200_WhenUserIdsIsEmpty()
    {
        using var response = await Client.DeleteInteractionsAsync([]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("{}", "user_ids", "value_error.missing")]
    [InlineData("[]", "user_ids", "value_error.missing")]
    [InlineData("""{"user_ids": "a"}""", "user_ids", "type_error.list")]
    [InlineData("""{"user_ids": ["a", 2]}""", "user_ids.1", "type_error.str")]
    public async Task Delete_Returns422WithDetail_WhenBodyIsMalformed(string body, string location, string errorType)
    {
        (await Client.UploadAsync([MisoRequests.ValidRecord(0, "a")])).EnsureSuccessStatusCode();

        using var response = await Client.DeleteInteractionsAsync(body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var issue = Assert.Single((await response.JsonAsync()).GetProperty("detail").EnumerateArray());
        Assert.Equal("body." + location, string.Join('.', issue.GetProperty("loc").EnumerateArray().Select(e => e.ToString())));
        Assert.Equal(errorType, issue.GetProperty("type").GetString());
        Assert.Single(await Inspector.GetInteractionsAsync());
        Assert.Equal(0, (await Inspector.GetStatsAsync()).DeleteCalls);
    }

    [Fact]
    public async Task Delete_Returns400_WhenBodyIsNotJson()
    {
        using var response = await Client.DeleteInteractionsAsync("{\"user_ids\": [");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").GetBoolean());
    }
}
