using System.Text.Json.Nodes;
using Miso.Emulator.Tests.Support;
using static Miso.Emulator.Tests.Interactions.ValidationAssertions;

namespace Miso.Emulator.Tests.Interactions;

public sealed class LimitAndContextValidationTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    Task RejectedAt3(JsonNode record, params string[] messages) =>
        AssertRejectedAt3Async(Client, Inspector, record, messages);

    static JsonObject Click(string field, JsonNode value) => new() { ["type"] = "click", [field] = value };

    [Fact]
    public Task Upload_Returns422WithPosition_WhenUserIdIsLongerThan512() => RejectedAt3(
        Click("user_id", new string('u', 513)),
        "data.3.user_id is invalid. The attribute should be at most 512 characters long.");

    [Fact]
    public Task Upload_Returns422WithPosition_WhenAnonymousIdIsLongerThan1024() => RejectedAt3(
        Click("anonymous_id", new string('a', 1025)),
        "data.3.anonymous_id is invalid. The attribute should be at most 1024 characters long.");

    [Fact]
    public Task Upload_Returns422WithPosition_WhenProductIdIsLongerThan512() => RejectedAt3(
        Click("product_ids", new JsonArray(new string('p', 513))),
        "data.3.product_ids.0 is invalid. The attribute should be at most 512 characters long.");

    [Fact]
    public Task Upload_Returns422WithPosition_WhenProductGroupIdIsLongerThan512() => RejectedAt3(
        Click("product_group_ids", new JsonArray("g", new string('g', 513))),
        "data.3.product_group_ids.1 is invalid. The attribute should be at most 512 characters long.");

    [Fact]
    public async Task Upload_Accepts_WhenIdsAreExactlyAtTheirLimits()
    {
        var record = new JsonObject
        {
            ["type"] = "click",
            ["user_id"] = new string('u', 512),
            ["anonymous_id"] = new string('a', 1024),
            ["product_ids"] = new JsonArray(new string('p', 512)),
            ["product_group_ids"] = new JsonArray(new string('g', 512)),
        };
        await AssertAcceptedAsync(Client, record);
    }

    [Fact]
    public Task Upload_Returns422WithPosition_WhenContextPageHasNoUrl() => RejectedAt3(
        Click("context", JsonNode.Parse("""{"page": {"title": "Home"}}""")!),
        "data.3.context.page.url is invalid. The attribute is required.");

    [Theory]
    [InlineData("1.1.1")]
    [InlineData("256.1.1.0")]
    [InlineData("::1")]
    [InlineData("a.b.c.d")]
    public Task Upload_Returns422WithPosition_WhenTruncatedIpIsNotIPv4(string ip) => RejectedAt3(
        Click("context", new JsonObject { ["truncated_ip"] = ip }),
        "data.3.context.truncated_ip is invalid. The attribute should match the 'ipv4' format.");

    [Fact]
    public Task Upload_Returns422WithPosition_WhenCustomContextValueIsNestedObject() => RejectedAt3(
        Click("context", JsonNode.Parse("""{"custom_context": {"ok": [1, 2], "nested": {"a": 1}}}""")!),
        "data.3.context.custom_context.nested is invalid. The attribute should be a boolean, a number, a string, or a list of numbers, strings or flat objects.");

    [Fact]
    public Task Upload_Accepts_WhenCustomContextHasEveryAllowedKindOfValue() => AssertAcceptedAsync(Client,
        Click("context", JsonNode.Parse("""
            {"custom_context": {"b": true, "n": 1.5, "s": "x", "ns": [1, 2], "ss": ["a"], "os": [{"k": "v", "n": 1}], "z": null}}
            """)!));

    [Fact]
    public Task Upload_Returns422WithPosition_WhenSearchFilterIsNotAList() => RejectedAt3(
        JsonNode.Parse("""{"type": "search", "search": {"keywords": "chips", "filters": {"brand": "acme"}}}""")!,
        "data.3.search.filters.brand is invalid. The attribute was expected to be of type ''array', 'null'' but type 'string' was given.");

    [Fact]
    public Task Upload_Returns422WithPosition_WhenCustomHasNoActionName() => RejectedAt3(
        JsonNode.Parse("""{"type": "custom", "product_ids": ["a"]}""")!,
        "data.3.custom_action_name is invalid. The attribute is required.");

    [Fact]
    public async Task Upload_ReturnsOneMessagePerProblem_WithEachRecordsPosition()
    {
        var records = Enumerable.Range(0, 5).Select(i => (JsonNode)MisoRequests.ValidRecord(i)).ToList();
        records[1] = JsonNode.Parse("""{"type": "rate", "rating": 9, "miso_id": "x"}""")!;
        records[3] = JsonNode.Parse("""{"type": "click", "user_id": 1, "extra": true}""")!;

        using var response = await Client.UploadAsync(records);

        await AssertSchemaErrorsAsync(response,
            "data.1.rating is invalid. The attribute should be in the range [0, 5].",
            "data.1.miso_id is invalid. The attribute should match the 'uuid' format.",
            "data.3.user_id is invalid. The attribute was expected to be of type ''string', 'null'' but type 'integer' was given.",
            "data.3.extra is invalid. The attribute is not allowed for interactions of type 'click'.");
        Assert.Empty(await Inspector.GetInteractionsAsync());
    }

    [Fact]
    public Task Upload_Accepts_WhenOptionalFieldsAreNull() => AssertAcceptedAsync(Client,
        JsonNode.Parse("""{"type": "click", "user_id": null, "product_ids": null, "timestamp": null, "context": null}""")!);
}
