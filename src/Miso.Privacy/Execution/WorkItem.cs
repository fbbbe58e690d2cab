namespace Miso.Privacy.Execution;

public enum MisoOperation { DeleteInteractions, DeleteUser }

/// <summary>
/// <c>in_flight</c>: claimed by a drain until <see cref="WorkItem.NextAttemptAt"/> (the lease); a crashed
/// drain's items become claimable again when it expires.
/// </summary>
public enum WorkItemState { Pending, InFlight, Retrying, Deleted, Failed, Cancelled }

/// <summary>One Miso call's worth of work for one user id in one environment.</summary>
public sealed class WorkItem
{
    public long Id { get; init; }
    public Guid RequestId { get; init; }
    public long SubjectId { get; init; }
    public required string Environment { get; init; }
    public MisoOperation Operation { get; init; }
    public WorkItemState State { get; set; }
    public int Attempts { get; set; }

    /// <summary>When a pending or retrying item is due; for an in-flight one, when its lease ends.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }
    public Guid? BatchId { get; set; }
    public string? LastError { get; set; }
    public string? MisoMessage { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeletedAt { get; set; }
}
