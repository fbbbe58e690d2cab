namespace Miso.Privacy.Dashboard;

public sealed record StatusCounts(long Pending, long InProgress, long Completed, long Failed, long Cancelled);

public sealed record RegulationCounts(long Gdpr, long Ccpa, long Other);

public sealed record CompletedCounts(long Last24h, long Last7d, long Last30d);

public sealed record HistogramBucket(double FromDays, double? ToDays, long Count);

/// <summary>Received → completed, in days, over requests completed in the last 30 days; null when there are none.</summary>
public sealed record CompletionTime(long Requests, double? P50Days, double? P95Days, double? MaxDays, IReadOnlyList<HistogramBucket> Histogram);

public sealed record EnvironmentStatus(string Name, DateTimeOffset? LastSuccessfulCallAt, long Backlog);

public sealed record DashboardSummary(
    DateTimeOffset AsOf, StatusCounts ByStatus, RegulationCounts ByRegulation, long Open, long Overdue, long DueWithin7Days,
    CompletedCounts Completed, CompletionTime CompletionTime, long FailedWorkItems, long SuppressedSubjects,
    IReadOnlyList<EnvironmentStatus> Environments);
