using System.ComponentModel.DataAnnotations;

namespace Miso.Privacy.Forwarding;

/// <summary>
/// A token bucket per Miso key on the Miso-compatible routes (<c>/v1/*</c>). A publishable key is shared by every
/// browser of the customer's site, so its bucket is the whole site's: the defaults leave room for a busy one.
/// </summary>
public sealed class MisoRateLimitOptions : IValidatableObject
{
    public const string Section = "Forwarding:RateLimit";

    /// <summary>Tokens added to each key's bucket every second.</summary>
    public int PermitsPerSecond { get; set; } = 1000;

    /// <summary>The bucket's size: how many calls a key can make at once after a quiet spell.</summary>
    public int Burst { get; set; } = 2000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PermitsPerSecond is < 1 or > 1_000_000)
            yield return new ValidationResult($"{Section}:PermitsPerSecond must be from 1 to 1000000.", [nameof(PermitsPerSecond)]);
        if (Burst is < 1 or > 1_000_000)
            yield return new ValidationResult($"{Section}:Burst must be from 1 to 1000000.", [nameof(Burst)]);
    }
}
