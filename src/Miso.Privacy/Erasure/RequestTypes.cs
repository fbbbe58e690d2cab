using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Erasure;

/// <summary>What each request type does, named once for C# and SQL.</summary>
public static class RequestTypes
{
    /// <summary>Types whose subjects are suppressed: only these keep a subject out of uploads, or hold a suppression another request's cancel would lift.</summary>
    public static readonly RequestType[] Suppressing = [RequestType.Erase, RequestType.Suppress];

    /// <summary>Types carried out at Miso (their user ids become work items).</summary>
    public static readonly RequestType[] Deleting = [RequestType.Erase, RequestType.Delete];

    /// <summary>For SQL: <c>type IN {SuppressingSql}</c>.</summary>
    public static readonly string SuppressingSql = Sql(Suppressing);

    /// <summary>For SQL: <c>type IN {DeletingSql}</c>.</summary>
    public static readonly string DeletingSql = Sql(Deleting);

    public static bool Suppresses(RequestType type) => Suppressing.Contains(type);

    public static bool DeletesAtMiso(RequestType type) => Deleting.Contains(type);

    /// <summary>
    /// A request with nothing to do at Miso is done when its suppressions commit, so it completes in the
    /// transaction that creates it: a suppress request, whatever its subjects.
    /// </summary>
    public static bool CompletesAtCreate(RequestType type) => !DeletesAtMiso(type);

    static string Sql(RequestType[] types) => $"({string.Join(", ", types.Select(t => $"'{SnakeCaseEnumConverter<RequestType>.ToText(t)}'"))})";
}
