namespace Miso.Privacy.OpenDsr;

/// <summary>Our own status and, when it failed, why: under our domain in <c>extensions</c>, OpenDSR's place for what the spec lacks.</summary>
public sealed record ProcessorStatus(string Status, string? Failure);

/// <summary>
/// OpenDSR knows pending, in_progress, completed and cancelled, and no failure. A failed request (Miso refused a deletion or
/// stayed unreachable through every retry) is not done and not given up: an operator retries it. So it is reported as
/// <c>in_progress</c>, and <c>extensions.{our domain}.status</c> says <c>failed</c> with the reason; every answer and callback
/// carries our status there, so a controller that reads the extension always knows the exact state.
/// </summary>
public static class OpenDsrStatus
{
    public const string FailureReason =
        "Deleting at Miso failed after every retry; the service's operator is alerted and can retry the request, which returns it to pending.";

    public static string RequestStatus(string status) => status switch
    {
        "pending" => "pending",
        "in_progress" or "failed" => "in_progress",
        "completed" => "completed",
        "cancelled" => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a request status."),
    };

    public static Dictionary<string, ProcessorStatus> Extensions(string domain, string status) =>
        new() { [domain] = new ProcessorStatus(status, status == "failed" ? FailureReason : null) };
}
