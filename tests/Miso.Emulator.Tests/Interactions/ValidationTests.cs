using System.Text.Json.Nodes;
using Miso.Emulator.Tests.Support;
using static Miso.Emulator.Tests.Interactions.ValidationAssertions;

namespace Miso.Emulator.Tests.Interactions;

public sealed class ValidationTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    Task RejectedAt3(string record, params string[] messages) =>
        AssertRejectedAt3Async(Client, Inspector, JsonNode.Parse(record)!, messages);

    Task Accepted(string record) => AssertAcceptedAsync(Client, JsonNode.Parse(record)!);

    [Fact]
    public Task Upload_Returns422WithPosition_WhenRecordHasUnknownField() => RejectedAt3(
        """{"type": "click", "product_ids": ["a"], "colour": "red"}""",
        "data.3.colour is invalid. The attribute is not allowed for interactions of type 'click'.");

    [Fact]
    public Task Upload_Returns422WithPosition_WhenTypeIsMissing() => RejectedAt3(
        """{"user_id": "u", "product_ids": ["a"]}""",
        "data.3.type is invalid. The attribute is required.");

    [Fact]
    public Task Upload_Returns422WithPosition_WhenTypeIsUnknown() => RejectedAt3(
        """{"type": "purchase", "user_id": "u"}""",
        "data.3.type is invalid. 'purchase' is not a supported interaction type.");

    [Fact]
    public Task Upload_Returns422WithPosition_WhenTypeIsNotAString() => RejectedAt3(
        """{"type": 7}""",
        "data.3.type is invalid. The attribute was expected to be of type ''string'' but type 'integer' was given.");

    [Fact]
    public Task Upload_Returns422WithPosition_WhenRecordIsNotAnObject() => RejectedAt3(
        "\"click\"",
        "data.3 is invalid. The attribute was expected to be of type ''object'' but type 'string' was given.");

    [Fact]
    public Task Upload_Returns422WithMisoMessage_WhenProductIdsIsAString() => RejectedAt3(
        """{"type": "click", "product_ids": "a"}""",
        "data.3.product_ids is invalid. The attribute was expected to be of type ''array', 'null'' but type 'string' was given.");

    [Theory]
    [InlineData("""{"type": "read", "duration": "61.5"}""", "data.3.duration", "'number', 'null'", "string")]
    [InlineData("""{"type": "checkout", "revenue": true}""", "data.3.revenue", "'number', 'null'", "boolean")]
    [InlineData("""{"type": "click", "user_id": 42}""", "data.3.user_id", "'string', 'null'", "integer")]
    [InlineData("""{"type": "click", "anonymous_id": ["a"]}""", "data.3.anonymous_id", "'string', 'null'", "array")]
    [InlineData("""{"type": "search", "search": "chips"}""", "data.3.search", "'object', 'null'", "string")]
    [InlineData("""{"type": "search", "search": {"keywords": 1}}""", "data.3.search.keywords", "'string', 'null'", "integer")]
    [InlineData("""{"type": "click", "context": "web"}""", "data.3.context", "'object', 'null'", "string")]
    [InlineData("""{"type": "click", "context": {"locale": 1}}""", "data.3.context.locale", "'string', 'null'", "integer")]
    [InlineData("""{"type": "click", "context": {"campaign": {"name": []}}}""", "data.3.context.campaign.name", "'string', 'null'", "array")]
    [InlineData("""{"type": "custom", "custom_action_name": 3}""", "data.3.custom_action_name", "'string'", "integer")]
    [InlineData("""{"type": "category_page_view", "category": "Home"}""", "data.3.category", "'array', 'null'", "string")]
    [InlineData("""{"type": "click", "product_group_ids": [1]}""", "data.3.product_group_ids.0", "'string'", "integer")]
    [InlineData("""{"type": "feedback", "value": 5}""", "data.3.value", "'string', 'null'", "integer")]
    public Task Upload_Returns422WithPosition_WhenFieldHasWrongType(string record, string path, string expected, string given) =>
        RejectedAt3(record, $"{path} is invalid. The attribute was expected to be of type '{expected}' but type '{given}' was given.");

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("\"2023-01-24\"")]
    [InlineData("\"2023-13-24T14:15:21Z\"")]
    [InlineData("\"2023-01-24T25:15:21Z\"")]
    [InlineData("\"24/01/2023 14:15:21\"")]
    public Task Upload_Returns422WithPosition_WhenTimestampIsNotIsoDateTime(string timestamp) => RejectedAt3(
        $$"""{"type": "click", "timestamp": {{timestamp}}}""",
        "data.3.timestamp is invalid. The attribute should match the 'date-time' format.");

    [Theory]
    [InlineData("2023-01-24T14:15:21Z")]
    [InlineData("2018-11-07T00:25:00.073876Z")]
    [InlineData("2023-01-24T14:15:21+02:00")]
    [InlineData("2023-01-24T14:15:21")]
    public Task Upload_Accepts_WhenTimestampIsIsoDateTime(string timestamp) =>
        Accepted($$"""{"type": "click", "timestamp": "{{timestamp}}"}""");

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("123e4567-e89b-12d3-a456-42661417400")]
    public Task Upload_Returns422WithPosition_WhenMisoIdIsNotUuid(string misoId) => RejectedAt3(
        $$"""{"type": "click", "miso_id": "{{misoId}}"}""",
        "data.3.miso_id is invalid. The attribute should match the 'uuid' format.");

    [Theory]
    [InlineData("-0.5")]
    [InlineData("5.01")]
    public Task Upload_Returns422WithPosition_WhenRatingIsOutsideZeroToFive(string rating) => RejectedAt3(
        $$"""{"type": "rate", "rating": {{rating}}}""",
        "data.3.rating is invalid. The attribute should be in the range [0, 5].");

    [Theory]
    [InlineData("0")]
    [InlineData("5")]
    [InlineData("3.5")]
    public Task Upload_Accepts_WhenRatingIsWithinZeroToFive(string rating) =>
        Accepted($$"""{"type": "rate", "rating": {{rating}}}""");

    [Theory]
    [InlineData("1.5", "data.3.quantities", "'integer'", "number")]
    [InlineData("[1, 2.5]", "data.3.quantities.1", "'integer'", "number")]
    [InlineData("[\"1\"]", "data.3.quantities.0", "'integer'", "string")]
    [InlineData("\"2\"", "data.3.quantities", "'array', 'integer', 'null'", "string")]
    public Task Upload_Returns422WithPosition_WhenQuantitiesAreNotIntegers(string quantities, string path, string expected, string given) =>
        RejectedAt3(
            $$"""{"type": "add_to_cart", "product_ids": ["a", "b"], "quantities": {{quantities}}}""",
            $"{path} is invalid. The attribute was expected to be of type '{expected}' but type '{given}' was given.");

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("3")]
    public Task Upload_Accepts_WhenQuantitiesAreIntegers(string quantities) =>
        Accepted($$"""{"type": "checkout", "product_ids": ["a", "b"], "quantities": {{quantities}}}""");
}
