using System.Net;
using System.Text.Json;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Users;

public sealed class UsersApiTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    Task<HttpResponseMessage> PostAsync(string path, string body, string? key = null) =>
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

    [Fact]
    public async Task Upload_Returns422_WhenAFieldHasTheWrongTypeOrIsUnknown()
    {
        using var response = await PostAsync("v1/users", """{"data": [{"user_id": "a", "age": "forty", "profile_image": "me.png", "nickname": "x"}, {"user_id": ""}]}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(
        [
            "data.0.profile_image is invalid. The attribute should match the 'uri' format.",
            "data.0.age is invalid. The attribute was expected to be of type ''integer', 'null'' but type 'string' was given.",
            "data.0.nickname is invalid. The attribute is not allowed for user records.",
            "data.1.user_id is invalid. The attribute should be at least 1 characters long.",
        ], (await response.JsonAsync()).GetProperty("data").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(await Inspector.GetUsersAsync());
    }

    [Fact]
    public async Task Read_ReturnsTheStoredRecord_Or404()
    {
        (await PostAsync("v1/users", """{"data": [{"user_id": "a/b c", "city": "Oslo", "age": 40}]}""")).EnsureSuccessStatusCode();

        using var found = await Client.CallAsync(HttpMethod.Get, "v1/users/a%2Fb%20c", null);
        using var missing = await Client.CallAsync(HttpMethod.Get, "v1/users/b", null);

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("""{"message":"success","data":{"user_id":"a/b c","city":"Oslo","age":40}}""", await found.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("""{"message":"not found"}""", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DeleteOne_RemovesTheUser_LikeTheBulkDelete()
    {
        (await PostAsync("v1/users", """{"data": [{"user_id": "a%b"}, {"user_id": "c"}]}""")).EnsureSuccessStatusCode();

        using var response = await Client.CallAsync(HttpMethod.Delete, "v1/users/a%25b", null);
        using var again = await Client.CallAsync(HttpMethod.Delete, "v1/users/a%25b", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal("deleted", json.GetProperty("message").GetString());
        Assert.Matches("^[0-9a-f]{32}$", json.GetProperty("data").GetProperty("task_id").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(["c"], (await Inspector.GetUsersAsync()).Select(u => u.GetProperty("user_id").GetString()));
        Assert.Equal(2, (await Inspector.GetStatsAsync("production")).UserDeleteCalls);
        Assert.Equal(["a%b"], (await Inspector.GetCallsAsync()).Last().UserIds);
    }

    [Fact]
    public async Task TaskIds_AreTheSameForTheSameCall_AndDifferForAnother()
    {
        async Task<string> TaskIdAsync(string path, string body)
        {
            using var response = await PostAsync(path, body);
            return (await response.JsonAsync()).GetProperty("data").GetProperty("task_id").GetString()!;
        }

        var first = await TaskIdAsync("v1/users", """{"data": [{"user_id": "a"}]}""");
        var same = await TaskIdAsync("v1/users", """{"data": [{"user_id": "a"}]}""");
        var other = await TaskIdAsync("v1/users", """{"data": [{"user_id": "b"}]}""");
        var delete = await TaskIdAsync("v1/users/_delete", """{"data": {"user_ids": ["a"]}}""");

        Assert.Equal(first, same);
        Assert.NotEqual(first, other);
        Assert.NotEqual(first, delete);
    }
}
