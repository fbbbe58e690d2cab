using System.Collections.Frozen;

namespace Miso.Emulator.Interactions;

/// <summary>
/// Allowed fields per interaction type: the union of Miso's SDK page table and its OpenAPI schemas
/// (see the shared reference miso-interaction-fields.md).
/// </summary>
static class InteractionSchema
{
    public const string CustomType = "custom";
    public const string CustomActionName = "custom_action_name";

    static readonly string[] Common = ["type", "user_id", "anonymous_id", "timestamp", "miso_id", "context"];
    static readonly string[] Items = ["product_ids", "product_group_ids"];
    static readonly string[] ItemsAndDuration = [.. Items, "duration"];

    static readonly Rule ProductIds = Rules.ArrayOf(Rules.String(maxLength: 512));

    public static readonly FrozenDictionary<string, Rule> FieldRules = new Dictionary<string, Rule>
    {
        ["user_id"] = Rules.String(maxLength: 512),
        ["anonymous_id"] = Rules.String(maxLength: 1024),
        ["timestamp"] = Rules.String(format: "date-time", matches: Formats.IsDateTime),
        ["miso_id"] = Rules.String(format: "uuid", matches: Formats.IsUuid),
        ["context"] = ContextRules.Context,
        ["product_ids"] = ProductIds,
        ["product_group_ids"] = ProductIds,
        ["duration"] = Rules.Number(),
        ["revenue"] = Rules.Number(),
        ["rating"] = Rules.Number(minimum: 0, maximum: 5),
        ["quantities"] = Rules.IntegerOrIntegers,
        ["search"] = ContextRules.Search,
        ["category"] = Rules.ArrayOf(Rules.String()),
        [CustomActionName] = Rules.String(),
        ["question_id"] = Rules.String(maxLength: 512),
        ["result_type"] = Rules.String(),
        ["value"] = Rules.String(),
    }.ToFrozenDictionary();

    public static readonly FrozenDictionary<string, FrozenSet<string>> FieldsByType = new Dictionary<string, string[]>
    {
        ["product_detail_page_view"] = ItemsAndDuration,
        ["search"] = ["search"],
        ["add_to_cart"] = [.. Items, "quantities"],
        ["remove_from_cart"] = [.. Items, "quantities"],
        ["checkout"] = ["revenue", .. Items, "quantities"],
        ["refund"] = Items,
        ["subscribe"] = Items,
        ["unsubscribe"] = Items,
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
        ["feedback"] = ["question_id", "result_type", "value"],
        ["impression"] = Items,
        ["viewable_impression"] = Items,
        ["click"] = Items,
        ["submit"] = Items,
        ["home_page_view"] = ItemsAndDuration,
        ["category_page_view"] = [.. ItemsAndDuration, "category"],
        ["promo_page_view"] = ItemsAndDuration,
        ["product_image_view"] = ItemsAndDuration,
        [CustomType] = [CustomActionName, .. Items],
    }.ToFrozenDictionary(p => p.Key, p => Common.Concat(p.Value).ToFrozenSet());

    public static readonly FrozenSet<string> AllFields = FieldRules.Keys.Append("type").ToFrozenSet();
}
