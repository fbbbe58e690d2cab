namespace Miso.Privacy.Erasure;

public sealed class ErasureRequest
{
    public Guid Id { get; init; }
    public long Number { get; init; }
    public Regulation Regulation { get; init; }
    public RequestStatus Status { get; set; }
    public required string RequestedBy { get; init; }
    public string? Reason { get; init; }
    public string? Ticket { get; init; }

    /// <summary>Name of the API key that filed it; idempotency keys are scoped to it.</summary>
    public required string CreatedBy { get; init; }
    public string? IdempotencyKey { get; init; }

    /// <summary>Keyed hash of the normalised body, to tell a replay from a different request under the same key.</summary>
    public byte[]? Fingerprint { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset SubmittedAt { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public string? CancelReason { get; set; }

    /// <summary>Miso calls that carried any of this request's subjects, counted once per call.</summary>
    public int MisoCalls { get; set; }

    /// <summary>
    /// The Miso environments the request was promised in, written out at creation so that a later configuration
    /// change does not change what it said. Null only on requests filed before this was recorded, which covered every
    /// configured environment (see <see cref="Infrastructure.EnvironmentNames.Resolve"/>).
    /// </summary>
    public string[]? Environments { get; init; }

    public int UserIdCount { get; init; }
    public int AnonymousIdCount { get; init; }

    public List<RequestSubject> Subjects { get; init; } = [];

    public RequestType Type { get; init; }

    /// <summary>The due date before the one extension; null while the request was never extended.</summary>
    public DateTimeOffset? OriginalDueAt { get; set; }
    public DateTimeOffset? ExtendedAt { get; set; }
    public string? ExtensionReason { get; set; }

    /// <summary>When the person was told of the extension and why (GDPR Art. 12(3), CCPA §7021(b)).</summary>
    public DateTimeOffset? NotifiedAt { get; set; }

    /// <summary>
    /// The request's data key, wrapped by <c>Privacy:RetentionKey</c>: what the sweeps need to read the identifiers
    /// sealed at completion. Set to null when the last sweep is done (crypto-shredding). Never returned by any API.
    /// </summary>
    public byte[]? DataKey { get; set; }

    /// <summary>From this time on no raw identifier of the request can be read by anyone, the service included.</summary>
    public DateTimeOffset? ShreddedAt { get; set; }

    public bool IsOpen => OpenStatuses.Contains(Status);

    public bool IsOverdue(DateTimeOffset now) => IsOpen && DueAt < now;
}
