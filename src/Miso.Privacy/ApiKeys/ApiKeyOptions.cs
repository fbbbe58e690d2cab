using System.ComponentModel.DataAnnotations;
using Miso.Privacy.Infrastructure.Auth;

namespace Miso.Privacy.ApiKeys;

/// <summary>Keys given in configuration: the bootstrap key that creates the others, and development keys.</summary>
public sealed class ApiKeyOptions : IValidatableObject
{
    public const string Section = "Auth";

    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var key = ApiKeys[i];
            var at = $"Auth:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name))
                yield return new ValidationResult($"{at}:Name is required.");
            if (key.KeySha256.Length != 64 || !key.KeySha256.All(Uri.IsHexDigit))
                yield return new ValidationResult($"{at}:KeySha256 must be the SHA-256 of the key, as 64 hex digits.");
            foreach (var scope in key.Scopes.Where(s => !Scopes.All.Contains(s)))
                yield return new ValidationResult($"{at}:Scopes has an unknown scope '{scope}'.");
        }
        foreach (var name in ApiKeys.GroupBy(k => k.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key))
            yield return new ValidationResult($"Auth:ApiKeys has the name '{name}' more than once.");
    }
}

/// <summary>A key is configured by the SHA-256 of its value, so configuration never holds a usable secret.</summary>
public sealed class ApiKeyEntry
{
    public string Name { get; set; } = "";
    public string KeySha256 { get; set; } = "";
    public string[] Scopes { get; set; } = [];

    /// <summary>How the key API names a configured key: it has no row, so no id of its own.</summary>
    public string Id => ConfiguredIdPrefix + Name;

    public const string ConfiguredIdPrefix = "config:";
}
