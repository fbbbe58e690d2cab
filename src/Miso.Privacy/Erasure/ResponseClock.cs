namespace Miso.Privacy.Erasure;

/// <summary>
/// How long a request took and whether it was late: the one definition, for C# and SQL alike, used by the
/// request itself, the dashboard summary and its charts, the reports, the record-keeping metrics and /metrics.
/// Completion time runs from <c>submitted_at</c> (when the person asked, where the legal clock starts) to
/// <c>completed_at</c>; a request is late when it completed after its due date, extended or not.
/// </summary>
public static class ResponseClock
{
    public static double Days(DateTimeOffset submittedAt, DateTimeOffset completedAt) => (completedAt - submittedAt).TotalDays;

    /// <summary>Days as every surface shows them: two decimals, rounded once, at the end.</summary>
    public static double Shown(double days) => Math.Round(days, 2, MidpointRounding.AwayFromZero);

    public static bool IsLate(DateTimeOffset completedAt, DateTimeOffset dueAt) => completedAt > dueAt;

    /// <summary>For SQL: the completion time in days of a row of erasure_requests named <paramref name="table"/>.</summary>
    public static string DaysSql(string table) => $"(extract(epoch FROM {table}.completed_at - {table}.submitted_at)::float8 / 86400)";

    /// <summary>For SQL: whether a completed row of erasure_requests named <paramref name="table"/> was late.</summary>
    public static string LateSql(string table) => $"({table}.completed_at > {table}.due_at)";
}
