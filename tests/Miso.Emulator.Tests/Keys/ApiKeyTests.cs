using System.Net;
using System.Text;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Keys;

public sealed class ApiKeyTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    const string Forbidden =
        "Request is denied due to bot blocking. Please only access this API from a real browser or use Secret API Key instead.";

    static readonly string OneRecord = MisoRequests.Batch([MisoRequests.ValidRecord(0)]);

    [Theory]
    [InlineData("wrong-key")]
    [InlineData(null)]
    public async Task Upload_Returns401_WhenKeyIsUnknownOrMissing(string? key)
    {
        using var response = await Client.SendAsync(MisoRequests.Request(HttpMethod.Post, "v1/interactions", OneRecord, key));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"message":"invalid api key."}""", await response.Content.ReadAsStringAsync());
        Assert.Empty(await Inspector.GetInteractionsAsync());
    }

    [Theory]
    [InlineData("emu-production-secret-key", "production")]
    [InlineData("emu-production-publishable-key", "production")]
    [InlineData("emu-development-secret-key", "development")]
    [InlineData("emu-development-publishable-key", "development")]
    public async Task Upload_StoresInKeysEnvironment_WhenKeyIsInQuery(string key, string environment)
    {
        using var response = await Client.UploadAsync(OneRecord, key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await Inspector.GetInteractionsAsync(environment));
    }

    [Fact]
    public async Task Upload_Accepts_WhenKeyIsInXApiKeyHeader()
    {
        using var request = MisoRequests.Request(HttpMethod.Post, "v1/interactions", OneRecord, key: null);
        request.Headers.Add("X-API-KEY", Development.PublishableKey);

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await Inspector.GetInteractionsAsync("development"));
    }

    [Fact]
    public async Task Delete_Returns403_WhenKeyIsPublishable()
    {
        (await Client.UploadAsync([MisoRequests.ValidRecord(0, "a")])).EnsureSuccessStatusCode();
        using var request = MisoRequests.Request(HttpMethod.Delete, "v1/interactions", """{"user_ids": ["a"]}""", key: null);
        request.Headers.Add("X-API-KEY", Production.PublishableKey);

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(Forbidden, (await response.JsonAsync()).GetProperty("message").GetString());
        Assert.Single(await Inspector.GetInteractionsAsync());
    }

    [Theory]
    [InlineData("v1/users", """{"data": [{"user_id": "a"}]}""")]
    [InlineData("v1/users/_delete", """{"data": {"user_ids": ["a"]}}""")]
    public async Task UserRoutes_Return403_WhenKeyIsPublishable(string path, string body)
    {
        using var response = await Client.SendAsync(MisoRequests.Request(HttpMethod.Post, path, body, Production.PublishableKey));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(Forbidden, (await response.JsonAsync()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Delete_Returns401_WhenKeyIsUnknown()
    {
        using var response = await Client.DeleteInteractionsAsync("""{"user_ids": ["a"]}""", "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Calls_LogUnknownKeyWithNullEnvironment_AndNeverTheKey()
    {
        using var content = new StringContent(OneRecord, Encoding.UTF8, "application/json");
        (await Client.PostAsync("v1/interactions?api_key=secret-typo", content)).Dispose();

        var call = Assert.Single(await Inspector.GetCallsAsync());
        Assert.Null(call.Environment);
        Assert.Equal(401, call.Status);
        Assert.Equal("/v1/interactions", call.Path);
        Assert.Equal(["user-0"], call.UserIds);
    }
}
