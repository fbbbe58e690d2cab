namespace Miso.Privacy.OpenDsr;

public sealed record SupportedIdentity(string IdentityType, string IdentityFormat);

/// <summary>§6.3.</summary>
public sealed record OpenDsrDiscovery(string ApiVersion, IReadOnlyList<SupportedIdentity> SupportedIdentities,
    IReadOnlyList<string> SupportedSubjectRequestTypes, string ProcessorCertificate);

/// <summary>
/// §7.3. The spec lists <c>processor_signature</c> among the body's fields, but a body cannot hold its own signature, and
/// the spec's own example carries it in X-OpenDSR-Signature: so does this answer.
/// </summary>
public sealed record OpenDsrCreated(string ControllerId, DateTimeOffset ExpectedCompletionTime, DateTimeOffset ReceivedTime, string EncodedRequest,
    Guid SubjectRequestId);

/// <summary>§8.3, with our own status under our domain (see <see cref="OpenDsrStatus"/>).</summary>
public sealed record OpenDsrStatusResponse(string ControllerId, DateTimeOffset ExpectedCompletionTime, Guid SubjectRequestId, string RequestStatus,
    string ApiVersion, Dictionary<string, ProcessorStatus> Extensions);

/// <summary>§9.2; signed in the header, as the create's answer.</summary>
public sealed record OpenDsrCancelled(string ControllerId, DateTimeOffset ReceivedTime, Guid SubjectRequestId, string ApiVersion);
