using System.Text.RegularExpressions;
using Miso.Privacy.Infrastructure.Auth;

namespace Miso.Privacy.ApiKeys;

public static partial class ApiKeyRules
{
    public const int MaxNameLength = 64;

    /// <summary>
    /// Actors the service writes itself (Execution's "execution", the Miso delete API's "miso-api:…", the actor of a
    /// call without a key). A key with such a name could pass its acts off as the service's.
    /// </summary>
    static readonly string[] Reserved = ["anonymous", "execution", "miso-api", "system"];

    public static (NewApiKey? Key, Dictionary<string, string[]>? Errors) Validate(CreateApiKeyBody body, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (NameProblem(body.Name) is { } nameProblem)
            errors["name"] = [nameProblem];

        var scopes = new List<string>();
        var problems = new List<string>();
        if (body.Scopes is null or { Count: 0 })
            problems.Add($"Name at least one scope: {string.Join(", ", Scopes.All)}.");
        for (var i = 0; i < (body.Scopes?.Count ?? 0); i++)
        {
            var scope = body.Scopes![i];
            if (scope is null || !Scopes.All.Contains(scope))
                problems.Add($"[{i}] is not a scope; choose from {string.Join(", ", Scopes.All)}.");
            else if (scopes.Contains(scope))
                problems.Add($"[{i}] '{scope}' is listed more than once.");
            else
                scopes.Add(scope);
        }
        if (problems.Count > 0)
            errors["scopes"] = [.. problems.Take(10)];

        if (body.ExpiresAt <= now)
            errors["expires_at"] = ["Must be in the future."];

        return errors.Count > 0
            ? (null, errors)
            : (new NewApiKey(body.Name!, [.. Scopes.All.Where(scopes.Contains)], body.ExpiresAt?.ToUniversalTime()), null);
    }

    static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return "Required.";
        if (name.Length > MaxNameLength)
            return $"At most {MaxNameLength} characters.";
        if (!NamePattern().IsMatch(name))
            return "Use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit: the name is the audit actor of every call the key makes.";
        if (Reserved.Contains(name))
            return "This name is reserved for the service's own audit entries.";
        return null;
    }

    [GeneratedRegex(@"\A[a-z0-9][a-z0-9._-]*\z")]
    private static partial Regex NamePattern();
}
