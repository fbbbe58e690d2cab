namespace Miso.Privacy.Sweeps;

/// <summary>
/// One re-run of a completed request's Miso deletions: a scheduled one (<see cref="Round"/> 1, 2, … at each
/// <c>Execution:Sweeps</c> offset after completion) or one of an operator's restore replays (round 0).
/// </summary>
public sealed class RequestSweep
{
    public long Id { get; init; }
    public Guid RequestId { get; init; }
    public int Round { get; init; }
    public Guid? ReplayId { get; init; }
    public DateTimeOffset DueAt { get; init; }

    /// <summary>When its last item reached an outcome and <c>request.swept</c> was written; null while under way.</summary>
    public DateTimeOffset? SweptAt { get; set; }

    /// <summary><c>deleted</c> when Miso accepted every call, <c>failed</c> when any call failed for good.</summary>
    public string? Outcome { get; set; }
}
