using System.Net;
using System.Text.Json;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Users;

public sealed class UsersApiTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    private Task<HttpResponseMessage> PostAsync(string path, string body, string? key = null) =>
        Client.SendAsync(MisoRequests.Request(HttpMethod.Post, path, body, key ?? Production.SecretKey));

    [Fact]
    public async Task Upload_StoresUsersByUserId_AndReturnsTaskId()
    {
        using var response = await PostAsync("v1/users", """{"data": [{"user_id": "a", "city": "Oslo"}, {"user_id": "b"}, {"user_id": "a", "city": "Bergen"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal("success", json.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("data").GetProperty("task_id").GetString()));
        var users = await Inspector.GetUsersAsync("production");
        Assert.Equal(["Bergen", null], users.Select(u => u.TryGetProperty("city", out var c) ? c.GetString() : null));
        Assert.Empty(await Inspector.GetUsersAsync("development"));
    }

    [Fact]
    public async Task Upload_Returns422WithPosition_WhenUserIdIsMissing()
    {
        using var response = await PostAsync("v1/users", """{"data": [{"user_id": "a"}, {"name": "x"}]}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal(["data.1.user_id is invalid. The attribute is required."],
            json.GetProperty("data").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(await Inspector.GetUsersAsync());
    }

    [Fact]
    public async Task Delete_RemovesListedUsers_AndReturnsDeletedWithTaskId()
    {
        (await PostAsync("v1/users", """{"data": [{"user_id": "a"}, {"user_id": "b"}]}""")).EnsureSuccessStatusCode();

        using var response = await PostAsync("v1/users/_delete", """{"data": {"user_ids": ["a"]}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal("deleted", json.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("data").GetProperty("task_id").GetString()));
        var remaining = Assert.Single(await Inspector.GetUsersAsync());
        Assert.Equal("b", remaining.GetProperty("user_id").GetString());
        Assert.Equal(1, (await Inspector.GetStatsAsync("production")).UserDeleteCalls);
        Assert.Equal(["a"], (await Inspector.GetCallsAsync()).Last().UserIds);
    }

    [Theory]
    [InlineData("""{"user_ids": ["a"]}""")]
    [InlineData("""{"data": {"user_ids": "a"}}""")]
    public async Task Delete_Returns422_WhenBodyIsMalformed(string body)
    {
        using var response = await PostAsync("v1/users/_delete", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await response.JsonAsync()).GetProperty("detail").ValueKind);
        Assert.Equal(0, (await Inspector.GetStatsAsync()).UserDeleteCalls);
    }
}
