using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Infrastructure.Http;

/// <summary>
/// The query-string rules every endpoint follows: unknown or repeated parameters are rejected, and each value is
/// read strictly, its error named by the parameter.
/// </summary>
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

    public static string? Text(IQueryCollection query, string name) => query.TryGetValue(name, out var value) ? value.ToString() : null;

    public static int? WholeNumber(IQueryCollection query, string name, int min, int max, Dictionary<string, string[]> errors)
    {
        if (Text(query, name) is not { } text)
            return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
            return n;
        errors[name] = [$"Must be a whole number from {min} to {max}."];
        return null;
    }

    /// <summary>A date or a date-time; without a zone it is UTC.</summary>
    public static DateTimeOffset? Time(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (Text(query, name) is not { } text)
            return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return time.ToUniversalTime();
        errors[name] = ["Must be an ISO-8601 date or date-time, like 2026-11-28 or 2026-11-28T00:00:00Z."];
        return null;
    }

    /// <summary>One of an enum's values, in the snake_case text the API prints it as.</summary>
    public static T? Choice<T>(IQueryCollection query, string name, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (Text(query, name) is not { } text)
            return null;
        if (SnakeCaseEnumConverter<T>.TryFromText(text, out var value))
            return value;
        errors[name] = [$"Must be one of {SnakeCaseEnumConverter<T>.Choices}."];
        return null;
    }

    public static bool? Flag(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        switch (Text(query, name))
        {
            case null: return null;
            case "true": return true;
            case "false": return false;
            default: errors[name] = ["Must be true or false."]; return null;
        }
    }
}
