namespace Miso.Privacy.Cli.Erase;

/// <summary>
/// The ids as one set: trimmed (files and spreadsheets carry stray spaces and carriage returns), blank lines skipped,
/// duplicates dropped, sorted ordinally. Sorted, so that the same ids give the same requests however they were ordered.
/// </summary>
static class SubjectSet
{
    /// <summary>Miso's own length limits, as the service enforces them (Subjects/SubjectKind.cs).</summary>
    public static int MaxLength(string kind) => kind == "anonymous_id" ? 1024 : 512;

    const int ProblemsShown = 10;

    public static (IReadOnlyList<string> Ids, IReadOnlyList<string> Problems) Normalise(IEnumerable<InputId> inputs, string kind)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var count = 0;
        foreach (var input in inputs)
        {
            var value = input.Value.Trim();
            var problem = value.Length == 0 ? (input.BlankIsSkipped ? null : "is empty")
                : value.Length > MaxLength(kind) ? $"is longer than {MaxLength(kind)} characters, Miso's limit for a {kind}"
                : !IsStorable(value) ? "contains a NUL character or invalid UTF-16"
                : null;
            if (problem is not null && count++ < ProblemsShown)
                problems.Add($"{input.Origin}: the id {problem}.");
            else if (problem is null && value.Length > 0)
                ids.Add(value);
        }
        if (count > ProblemsShown)
            problems.Add($"... and {count - ProblemsShown} more.");
        var sorted = ids.ToList();
        sorted.Sort(StringComparer.Ordinal);
        return (sorted, problems);
    }

    /// <summary>The service's rule (PostgreSQL text holds no NUL; a lone surrogate has no UTF-8).</summary>
    static bool IsStorable(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
                return false;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return false;
        }
        return true;
    }
}
