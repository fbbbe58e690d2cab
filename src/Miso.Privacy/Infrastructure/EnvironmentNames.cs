namespace Miso.Privacy.Infrastructure;

/// <summary>
/// The names of the configured Miso environments, for the features that act per environment without using the Miso
/// client (Suppressions, Erasure), and the one rule for a list of them that a caller names.
/// </summary>
public sealed class EnvironmentNames
{
    public EnvironmentNames(IEnumerable<string> configured) =>
        All = configured.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every configured environment, sorted: what a request covers when it names none.</summary>
    public IReadOnlyList<string> All { get; }

    /// <summary>
    /// What a stored list covers. Null only on rows written before the environments were recorded, which covered
    /// every environment configured at the time they were read; so they still do.
    /// </summary>
    public IReadOnlyList<string> Resolve(IReadOnlyList<string>? stored) => stored ?? All;

    /// <summary>
    /// A caller's list: null when not given (every environment), else the names, sorted, or the problems with it.
    /// Sorting makes the same set the same request, so an idempotent replay that lists them in another order matches.
    /// </summary>
    public (string[]? Names, string[]? Problems) Parse(IReadOnlyList<string?>? requested)
    {
        if (requested is null)
            return (null, null);
        if (requested.Count == 0)
            return (null, ["Name at least one environment, or leave environments out to cover all of them."]);
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < requested.Count && problems.Count < 10; i++)
        {
            var name = requested[i];
            if (name is null || !All.Contains(name, StringComparer.Ordinal))
                problems.Add($"[{i}] is not a configured Miso environment; they are: {string.Join(", ", All)}.");
            else if (!seen.Add(name))
                problems.Add($"[{i}] names '{name}' again.");
        }
        return problems.Count > 0 ? (null, [.. problems]) : ([.. seen.Order(StringComparer.Ordinal)], null);
    }
}
