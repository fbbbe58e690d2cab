using System.Text.Json;
using Miso.Emulator.Interactions;

namespace Miso.Emulator.Pipeline;

/// <summary>The <c>{"data": [...]}</c> envelope shared by Miso's bulk upload APIs.</summary>
internal static class BatchShape
{
    public static bool TryGetDataArray(JsonElement root, SchemaErrors errors, out JsonElement data)
    {
        data = default;
        if (root.ValueKind != JsonValueKind.Object)
            errors.Add("data", $"The request body should be an object with a 'data' list but type '{SchemaErrors.KindName(root)}' was given.");
        else if (!root.TryGetProperty("data", out data))
            errors.Required("data");
        else if (data.ValueKind != JsonValueKind.Array)
            errors.Type("data", data, false, "array");
        else
            return true;
        return false;
    }
}
