using Miso.Privacy.Subjects;

namespace Miso.Privacy.Suppressions;

/// <summary>
/// A subject whose uploads to one Miso environment are dropped. Only the keyed hash is kept. At most one active row
/// per hash and environment; lifted rows stay as history.
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

    /// <summary>
    /// The Miso environment whose uploads it drops. Null only on rows written before suppressions were kept per
    /// environment: those drop uploads to every environment, as they did when they were written.
    /// </summary>
    public string? Environment { get; init; }

    /// <summary>The suppression version that created it; instances catch up on everything past their own.</summary>
    public long Version { get; init; }
    public long? LiftedVersion { get; set; }
    public Guid? RequestId { get; init; }
    public DateTimeOffset? LiftedAt { get; set; }
    public string? LiftedBy { get; set; }
    public string? LiftReason { get; set; }
}
