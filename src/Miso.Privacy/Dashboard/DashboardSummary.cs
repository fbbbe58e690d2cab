namespace Miso.Privacy.Dashboard;

public sealed record StatusCounts(long Pending, long InProgress, long Completed, long Failed, long Cancelled);

public sealed record RegulationCounts(long Gdpr, long UkGdpr, long Ccpa, long Other);

public sealed record TypeCounts(long Erase, long Suppress, long Delete);

/// <summary>Completions in the last 24 hours, 7 and 30 days; of the last 30 days', how many came after their (extended) due date.</summary>
public sealed record CompletedCounts(long Last24h, long Last7d, long Last30d, long Late30d);

/// <summary>Open requests running on an extended due date, and extensions granted in the last 30 days.</summary>
public sealed record ExtendedCounts(long Open, long Last30d);

/// <summary>
/// Erasure that stays erased: uploaded records dropped because they named a request's subject after it was filed (last
/// 30 days, UTC days), and sweeps that failed for good (all time; each is in its request's detail).
/// </summary>
public sealed record RetentionCounts(long BlockedUploads30d, long FailedSweeps);

public sealed record HistogramBucket(double FromDays, double? ToDays, long Count);

/// <summary>Submitted → completed (the one clock), in days, over requests completed in the last 30 days; null when there are none.</summary>
public sealed record CompletionTime(long Requests, double? P50Days, double? P95Days, double? MaxDays, IReadOnlyList<HistogramBucket> Histogram,
    double? MeanDays);

public sealed record EnvironmentStatus(string Name, DateTimeOffset? LastSuccessfulCallAt, long Backlog);

public sealed record DashboardSummary(
    DateTimeOffset AsOf, StatusCounts ByStatus, RegulationCounts ByRegulation, long Open, long Overdue, long DueWithin7Days,
    CompletedCounts Completed, CompletionTime CompletionTime, long FailedWorkItems, long SuppressedSubjects,
    IReadOnlyList<EnvironmentStatus> Environments, TypeCounts ByType, ExtendedCounts Extended)
{
    /// <summary>Webhook and callback deliveries that failed for good and whose event has not reached that destination since.</summary>
    public long FailedWebhookDeliveries { get; init; }
    public RetentionCounts Retention { get; init; } = new(0, 0);
}
