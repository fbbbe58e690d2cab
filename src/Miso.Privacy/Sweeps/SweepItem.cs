using Miso.Privacy.Execution;

namespace Miso.Privacy.Sweeps;

/// <summary>
/// One user id × environment × operation of a sweep: the same shape and lifecycle as a <see cref="WorkItem"/>, claimed
/// by the same drain with the same lease, in its own table so that a completed request's work never reads as open.
/// </summary>
public sealed class SweepItem
{
    public long Id { get; init; }
    public long SweepId { get; init; }
    public Guid RequestId { get; init; }
    public long SubjectId { get; init; }
    public required string Environment { get; init; }
    public MisoOperation Operation { get; init; }
    public WorkItemState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public Guid? BatchId { get; set; }
    public string? LastError { get; set; }
    public int? MisoStatus { get; set; }
    public string? MisoMessage { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
}
