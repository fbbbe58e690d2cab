using System.ComponentModel.DataAnnotations;

namespace Miso.Privacy.Infrastructure.RateLimiting;

/// <summary>A token bucket per API key on the management API: a steady rate, and a burst a person or script can spend at once.</summary>
public sealed class RateLimitingOptions : IValidatableObject
{
    public const string Section = "RateLimiting";

    /// <summary>Tokens added to each key's bucket every second.</summary>
    public int PermitsPerSecond { get; set; } = 50;

    /// <summary>The bucket's size: how many calls a key can make at once after a quiet spell.</summary>
    public int Burst { get; set; } = 100;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PermitsPerSecond is < 1 or > 1_000_000)
            yield return new ValidationResult("RateLimiting:PermitsPerSecond must be from 1 to 1000000.", [nameof(PermitsPerSecond)]);
        if (Burst is < 1 or > 1_000_000)
            yield return new ValidationResult("RateLimiting:Burst must be from 1 to 1000000.", [nameof(Burst)]);
    }
}
