using System.ComponentModel.DataAnnotations;
using Miso.Privacy.Infrastructure;

namespace Miso.Privacy.Retention;

public sealed class RetentionOptions : IValidatableObject
{
    public const string Section = "Privacy";

    /// <summary>
    /// Base64 of exactly 32 random bytes: wraps each completed request's data key. Losing it makes every kept
    /// identifier unreadable, which ends the sweeps early but loses no evidence (the keyed hashes do not depend on it).
    /// </summary>
    public string RetentionKey { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsKey(RetentionKey))
            yield return new ValidationResult("Privacy:RetentionKey must be base64 of exactly 32 random bytes.", [nameof(RetentionKey)]);
    }

    static bool IsKey(string value)
    {
        var buffer = new byte[value.Length];
        return KeyRules.IsBase64Key(value) && Convert.TryFromBase64String(value, buffer, out var written) && written == RetentionEnvelope.KeyBytes;
    }
}
