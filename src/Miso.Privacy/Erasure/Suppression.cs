namespace Miso.Privacy.Erasure;

/// <summary>
/// A subject whose uploads are dropped. Only the keyed hash is kept. At most one active row per hash;
/// lifted rows stay as history.
/// </summary>
public sealed class Suppression
{
    public long Id { get; init; }
    public SubjectKind Kind { get; init; }
    public required byte[] Hash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public Guid? RequestId { get; init; }
    public DateTimeOffset? LiftedAt { get; set; }
    public string? LiftedBy { get; set; }
    public string? LiftReason { get; set; }
}
