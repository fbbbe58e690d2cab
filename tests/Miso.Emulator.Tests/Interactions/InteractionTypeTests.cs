using System.Text.Json.Nodes;
using Miso.Emulator.Tests.Support;
using static Miso.Emulator.Tests.Interactions.ValidationAssertions;

namespace Miso.Emulator.Tests.Interactions;

/// <summary>Every type with its own fields, from the shared reference table (seed page ∪ OpenAPI).</summary>
public sealed class InteractionTypeTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    static readonly string[] Items = ["product_ids", "product_group_ids"];
    static readonly string[] ItemsAndDuration = [.. Items, "duration"];

    static readonly Dictionary<string, string[]> OwnFields = new()
    {
        ["product_detail_page_view"] = ItemsAndDuration,
        ["search"] = ["search"],
        ["add_to_cart"] = [.. Items, "quantities"],
        ["remove_from_cart"] = [.. Items, "quantities"],
        ["checkout"] = ["revenue", .. Items, "quantities"],
        ["refund"] = Items,
        ["subscribe"] = Items,
        ["add_to_collection"] = Items,
        ["remove_from_collection"] = Items,
        ["read"] = ItemsAndDuration,
        ["watch"] = ItemsAndDuration,
        ["listen"] = ItemsAndDuration,
        ["like"] = Items,
        ["dislike"] = Items,
        ["share"] = Items,
        ["rate"] = [.. Items, "rating"],
        ["bookmark"] = Items,
        ["complete"] = Items,
        ["impression"] = Items,
        ["viewable_impression"] = Items,
        ["click"] = Items,
        ["home_page_view"] = ItemsAndDuration,
        ["category_page_view"] = [.. ItemsAndDuration, "category"],
        ["promo_page_view"] = ItemsAndDuration,
        ["product_image_view"] = ItemsAndDuration,
        ["custom"] = ["custom_action_name", .. Items],
        ["unsubscribe"] = Items,
        ["feedback"] = ["question_id", "result_type", "value"],
        ["submit"] = Items,
    };

    static readonly Dictionary<string, Func<JsonNode>> Samples = new()
    {
        ["product_ids"] = () => new JsonArray("123ABC-BLACK"),
        ["product_group_ids"] = () => new JsonArray("123ABC"),
        ["duration"] = () => 61.5,
        ["quantities"] = () => new JsonArray(1),
        ["revenue"] = () => 23.32,
        ["rating"] = () => 4.5,
        ["search"] = () => JsonNode.Parse("""{"keywords": "chips", "filters": {"brand": ["acme"]}}""")!,
        ["custom_action_name"] = () => "wishlist",
        ["category"] = () => new JsonArray("Home & Garden", "Kitchen"),
        ["question_id"] = () => "question_123",
        ["result_type"] = () => "answer",
        ["value"] = () => "helpful",
    };

    public static TheoryData<string> Types() => [.. OwnFields.Keys];

    [Fact]
    public void Table_Has29Types() => Assert.Equal(29, OwnFields.Count);

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Upload_Accepts_WhenRecordHasItsTypesOwnAndCommonFields(string type)
    {
        var record = Record(type);
        record["user_id"] = "u-1";
        record["anonymous_id"] = "anon-1";
        record["timestamp"] = "2023-01-24T14:15:22Z";
        record["miso_id"] = "123e4567-e89b-12d3-a456-426614174000";
        record["context"] = JsonNode.Parse("""{"page": {"url": "https://example.com/"}, "truncated_ip": "1.1.1.0"}""");

        await AssertAcceptedAsync(Client, record);

        var stored = Assert.Single(await Inspector.GetInteractionsAsync("production", "u-1"));
        Assert.Equal(type, stored.GetProperty("type").GetString());
    }

    [Theory]
    [MemberData(nameof(Types))]
    public Task Upload_Returns422WithPosition_WhenRecordHasAnotherTypesField(string type)
    {
        var foreign = Samples.Keys.First(field => !OwnFields[type].Contains(field));
        var record = Record(type);
        record[foreign] = Samples[foreign]();

        return AssertRejectedAt3Async(Client, Inspector, record,
            $"data.3.{foreign} is invalid. The attribute is not allowed for interactions of type '{type}'.");
    }

    static JsonObject Record(string type)
    {
        var record = new JsonObject { ["type"] = type };
        foreach (var field in OwnFields[type])
            record[field] = Samples[field]();
        return record;
    }
}
