using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Erasure;

/// <summary>
/// A request is open until it is settled: pending, in progress, or failed (which waits for an operator's retry).
/// Open requests are the ones that can be overdue. The one definition, for C#, LINQ and SQL alike.
/// </summary>
public static class OpenStatuses
{
    public static readonly RequestStatus[] All = [RequestStatus.Pending, RequestStatus.InProgress, RequestStatus.Failed];

    /// <summary>For SQL: <c>status IN {Sql}</c>, written from <see cref="All"/>.</summary>
    public static readonly string Sql = $"({string.Join(", ", All.Select(s => $"'{SnakeCaseEnumConverter<RequestStatus>.ToText(s)}'"))})";

    public static bool Contains(RequestStatus status) => All.Contains(status);
}
