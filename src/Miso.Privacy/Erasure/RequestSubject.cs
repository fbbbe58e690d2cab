using Miso.Privacy.Subjects;
namespace Miso.Privacy.Erasure;

public sealed class RequestSubject
{
    public long Id { get; init; }
    public Guid RequestId { get; init; }
    public SubjectKind Kind { get; init; }

    /// <summary>The raw identifier; set to null when the request completes or is cancelled, leaving only the keyed hash.</summary>
    public string? Value { get; set; }
    /// <summary>
    /// A completed request's user id, sealed under the request's data key for its sweeps (see
    /// <see cref="Retention.RetentionEnvelope"/>); unreadable once the key is shredded.
    /// </summary>
    public byte[]? SealedValue { get; set; }
    public required byte[] Hash { get; init; }
    public SubjectStatus Status { get; set; }
}
