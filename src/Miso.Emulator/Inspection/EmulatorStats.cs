using System.Text.Json.Serialization;

namespace Miso.Emulator.Inspection;

/// <param name="Uploads">Accepted upload calls.</param>
/// <param name="Interactions">Interactions currently stored.</param>
/// <param name="DeleteCalls">Accepted interaction delete calls.</param>
/// <param name="DeletedUserIds">Distinct user ids named per accepted delete call, summed over calls.</param>
/// <param name="UserDeleteCalls">Accepted user delete calls.</param>
/// <param name="Rejected">Upload calls refused for their body (400 or 422).</param>
public sealed record EmulatorStats(
    [property: JsonPropertyName("uploads")] long Uploads,
    [property: JsonPropertyName("interactions")] long Interactions,
    [property: JsonPropertyName("delete_calls")] long DeleteCalls,
    [property: JsonPropertyName("deleted_user_ids")] long DeletedUserIds,
    [property: JsonPropertyName("user_delete_calls")] long UserDeleteCalls,
    [property: JsonPropertyName("rejected")] long Rejected)
{
    public static EmulatorStats Sum(IEnumerable<EmulatorStats> all) => all.Aggregate(
        new EmulatorStats(0, 0, 0, 0, 0, 0),
        (a, b) => new EmulatorStats(
            a.Uploads + b.Uploads, a.Interactions + b.Interactions, a.DeleteCalls + b.DeleteCalls,
            a.DeletedUserIds + b.DeletedUserIds, a.UserDeleteCalls + b.UserDeleteCalls, a.Rejected + b.Rejected));
}
