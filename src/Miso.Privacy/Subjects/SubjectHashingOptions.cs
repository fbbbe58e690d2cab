using System.ComponentModel.DataAnnotations;

namespace Miso.Privacy.Subjects;

public sealed class SubjectHashingOptions : IValidatableObject
{
    public const string Section = "Privacy";

    /// <summary>Base64 secret of at least 32 bytes. Changing it orphans every stored hash.</summary>
    public string SubjectHashKey { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        byte[]? key = null;
        try { key = Convert.FromBase64String(SubjectHashKey); } catch (FormatException) { }
        if (key is null || key.Length < 32)
            yield return new ValidationResult(
                "Privacy:SubjectHashKey must be base64 of at least 32 random bytes.", [nameof(SubjectHashKey)]);
    }
}
