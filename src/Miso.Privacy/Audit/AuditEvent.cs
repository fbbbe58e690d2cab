namespace Miso.Privacy.Audit;

/// <summary>One thing that happened, chained to the event before it by <see cref="PrevHash"/>.</summary>
public sealed class AuditEvent
{
    public long Seq { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public Guid? RequestId { get; init; }

    /// <summary>Keyed hash of the subject concerned, never the raw identifier.</summary>
    public byte[]? SubjectHash { get; init; }

    /// <summary>Canonical JSON (see <see cref="AuditHashing"/>), stored as jsonb.</summary>
    public required string Details { get; init; }
    public required byte[] PrevHash { get; init; }
    public required byte[] Hash { get; init; }
}
