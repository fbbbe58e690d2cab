namespace Miso.Privacy.Sweeps;

/// <summary>
/// A restore replay and how far it got. <see cref="OutOfReach"/> names the requests completed after the time whose
/// identifiers were already shredded: nothing can delete their data at Miso again, and the replay says so rather than
/// counting them as swept. <see cref="State"/>: <c>running</c> until every sweep has an outcome, then <c>done</c>.
/// </summary>
public sealed record ReplayResponse(
    Guid Id, DateTimeOffset CompletedAfter, string Reason, string RequestedBy, DateTimeOffset CreatedAt, string State,
    int Requests, int Swept, int FailedSweeps, int PendingItems, int DeletedItems, int FailedItems,
    int OutOfReachCount, IReadOnlyList<Guid> OutOfReach);
