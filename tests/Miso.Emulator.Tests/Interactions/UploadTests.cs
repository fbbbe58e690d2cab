using System.Net;
using System.Text.Json;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Interactions;

public sealed class UploadTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    // The Miso SDK page's example, with Python's trailing commas and comments removed.
    const string SeedExample = """
        {"data": [
          {
            "user_id":"f5df9ef",
            "type":"search",
            "search": {
              "keywords": "chips"
            },
            "timestamp": "2023-01-24T14:15:21Z"
          },
          {
            "type": "product_detail_page_view",
            "duration": 61.5,
            "product_ids": [
              "123ABC-BLACK"
            ],
            "product_group_ids": [
              "123ABC"
            ],
            "user_id": "5b09700",
            "anonymous_id": "86D51273AD8BF84217E1567B6CBE7152D7034404",
            "timestamp": "2023-01-24T14:15:22Z",
            "miso_id": "123e4567-e89b-12d3-a456-426614174000",
            "context": {
              "campaign": {
                "name": "spring_sale",
                "source": "Google",
                "medium": "cpc",
                "term": "running+shoes",
                "content": "textlink"
              },
              "truncated_ip": "1.1.1.0",
              "locale": "en-US",
              "region": "US East",
              "page": {
                "url": "https://example.com/miso-tshirt-123ABC",
                "referrer": "https://example.com/",
                "title": "My Product Page"
              },
              "user_agent": "Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:47.0) Gecko/20100101 Firefox/47.0",
              "custom_context": {
                "session_variable_1": [
                  "value_1",
                  "value_2"
                ]
              }
            }
          }
        ]}
        """;

    [Fact]
    public async Task Upload_AcceptsAndStoresBothRecords_WhenPayloadIsSeedPageExample()
    {
        using var response = await Client.UploadAsync(SeedExample);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"message":"success"}""", await response.Content.ReadAsStringAsync());
        var stored = await Inspector.GetInteractionsAsync("production");
        Assert.Equal(2, stored.Count);
        var expected = JsonDocument.Parse(SeedExample).RootElement.GetProperty("data");
        Assert.True(JsonElement.DeepEquals(expected[0], stored[0]));
        Assert.True(JsonElement.DeepEquals(expected[1], stored[1]));
    }

    [Fact]
    public async Task Upload_StoresOriginalJson_ByteForByte()
    {
        const string accepted = """{ "type" : "like",  "product_ids": [ "a" ], "user_id":"u-1" }""";
        using var response = await Client.UploadAsync($$"""{"data":[{{accepted}}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var raw = await Client.GetAsync("_emulator/interactions?user_id=u-1");
        Assert.Equal($"[{accepted}]", await raw.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Upload_Returns200_WhenDataIsEmpty()
    {
        using var response = await Client.UploadAsync("""{"data":[]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await Inspector.GetStatsAsync()).Uploads);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("")]
    [InlineData("""{"data": [{"type": "click",}]}""")]
    public async Task Upload_Returns400_WhenBodyIsNotJson(string body)
    {
        using var response = await Client.UploadAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.True(json.GetProperty("errors").GetBoolean());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("message").GetString()));
        Assert.Equal(1, (await Inspector.GetStatsAsync()).Rejected);
    }

    [Theory]
    [InlineData("[]", "data is invalid. The request body should be an object with a 'data' list but type 'array' was given.")]
    [InlineData("\"x\"", "data is invalid. The request body should be an object with a 'data' list but type 'string' was given.")]
    [InlineData("{}", "data is invalid. The attribute is required.")]
    [InlineData("""{"records": []}""", "data is invalid. The attribute is required.")]
    [InlineData("""{"data": {}}""", "data is invalid. The attribute was expected to be of type ''array'' but type 'object' was given.")]
    public async Task Upload_Returns422WithDataMessage_WhenBodyIsNotADataList(string body, string expected)
    {
        using var response = await Client.UploadAsync(body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.True(json.GetProperty("errors").GetBoolean());
        Assert.Equal(new[] { expected }, json.GetProperty("data").EnumerateArray().Select(e => e.GetString()));
    }
}
