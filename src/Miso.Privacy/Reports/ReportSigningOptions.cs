using System.ComponentModel.DataAnnotations;
using Miso.Privacy.Infrastructure;

namespace Miso.Privacy.Reports;

public sealed class ReportSigningOptions : IValidatableObject
{
    public const string Section = "Reports";

    /// <summary>Base64 secret of at least 32 bytes, shared with auditors so they can check manifests; not the subject hash key.</summary>
    public string SigningKey { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!KeyRules.IsBase64Key(SigningKey))
            yield return new ValidationResult("Reports:SigningKey must be base64 of at least 32 random bytes.", [nameof(SigningKey)]);
    }
}
