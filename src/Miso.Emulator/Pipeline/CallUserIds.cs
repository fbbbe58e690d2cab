using System.Text.Json;

namespace Miso.Emulator.Pipeline;

/// <summary>
/// Best-effort user ids named by any Miso request body, for the call log of calls that were
/// rejected before (or without) a handler reading them: faults, bad keys, schema errors.
/// </summary>
internal static class CallUserIds
{
    public static IReadOnlyList<string> Extract(byte[] body)
    {
        if (body.Length == 0 || !JsonBody.TryParse(body, out var document, out _))
            return [];
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return [];
            if (root.TryGetProperty("user_ids", out var ids))
                return Strings(ids);
            if (!root.TryGetProperty("data", out var data))
                return [];
            if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("user_ids", out ids))
                return Strings(ids);
            if (data.ValueKind != JsonValueKind.Array)
                return [];
            return data.EnumerateArray()
                .Where(r => r.ValueKind == JsonValueKind.Object)
                .Select(r => r.TryGetProperty("user_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null)
                .OfType<string>()
                .ToList();
        }
    }

    private static List<string> Strings(JsonElement array) => array.ValueKind != JsonValueKind.Array
        ? []
        : array.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!).ToList();
}
