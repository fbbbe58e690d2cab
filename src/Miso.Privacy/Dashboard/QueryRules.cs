using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Dashboard;

/// <summary>Query validation shared by the dashboard endpoints: unknown or repeated parameters are rejected.</summary>
public static class QueryRules
{
    public static ProblemHttpResult? Unknown(IQueryCollection query, HashSet<string> known)
    {
        var errors = Check(query, known);
        return errors.Count > 0 ? Problems.Fields(errors) : null;
    }

    public static Dictionary<string, string[]> Check(IQueryCollection query, HashSet<string> known)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var name in query.Keys.Where(k => !known.Contains(k)))
            errors[name] = ["Unknown query parameter."];
        foreach (var name in query.Keys.Where(k => query[k].Count > 1))
            errors[name] = ["Give this parameter once."];
        return errors;
    }

    public static int? WholeNumber(IQueryCollection query, string name, int min, int max, Dictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(name, out var value))
            return null;
        if (int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
            return n;
        errors[name] = [$"Must be a whole number from {min} to {max}."];
        return null;
    }
}
