using Miso.Privacy.Subjects;

namespace Miso.Privacy.Suppressions;

/// <summary>
/// A subject whose uploads are dropped. Only the keyed hash is kept. At most one active row per hash;
/// lifted rows stay as history.
/// </summary>
public sealed class Suppression
{
    public long Id { get; init; }
    public SubjectKind Kind { get; init; }
    public required byte[] Hash { get; init; }

    /// <summary>
    /// The in-memory set's key (<see cref="SubjectHasher.LookupKey(SubjectKind, string)"/>), computed while the raw id
    /// was at hand: the forwarder looks every uploaded id up by it, never by the HMAC.
    /// </summary>
    public long LookupKey { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The suppression version that created it; instances catch up on everything past their own.</summary>
    public long Version { get; init; }
    public long? LiftedVersion { get; set; }
    public Guid? RequestId { get; init; }
    public DateTimeOffset? LiftedAt { get; set; }
    public string? LiftedBy { get; set; }
    public string? LiftReason { get; set; }
}
