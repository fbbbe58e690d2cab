using System.ComponentModel.DataAnnotations;
using Miso.Privacy.Infrastructure;

namespace Miso.Privacy.Subjects;

public sealed class SubjectHashingOptions : IValidatableObject
{
    public const string Section = "Privacy";

    /// <summary>Base64 secret of at least 32 bytes. Changing it orphans every stored hash.</summary>
    public string SubjectHashKey { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!KeyRules.IsBase64Key(SubjectHashKey))
            yield return new ValidationResult("Privacy:SubjectHashKey must be base64 of at least 32 random bytes.", [nameof(SubjectHashKey)]);
    }
}
