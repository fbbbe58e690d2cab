using System.ComponentModel.DataAnnotations;

namespace Miso.Privacy.Webhooks;

public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Webhooks";

    /// <summary>Let deliveries reach loopback and private networks: for local runs and tests only, never in production.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>One attempt's limit, connect to response headers; a receiver should answer quickly and work afterwards.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a delivery is retried, counted from its event, before it is failed (24 h).</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Backoff: base × 2^(attempt−1), capped, with jitter; a receiver's Retry-After is honoured up to the cap.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the recurring dispatch looks for due deliveries (whole seconds, 1–59).</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Hangfire workers on the webhooks queue, apart from the erasure jobs' workers.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>Deliveries one dispatch pass has on the wire at once.</summary>
    public int MaxInFlight { get; set; } = 16;

    /// <summary>A claimed delivery belongs to its dispatch this long: past any attempt, so a killed dispatch's deliveries come back.</summary>
    public TimeSpan Lease => Timeout * 2 + TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Timeout < TimeSpan.FromMilliseconds(100) || Timeout > TimeSpan.FromSeconds(60))
            yield return new ValidationResult("Webhooks:Timeout must be from 00:00:00.1 to 00:01:00.");
        if (RetryFor < TimeSpan.Zero || RetryFor > TimeSpan.FromDays(30))
            yield return new ValidationResult("Webhooks:RetryFor must be from 0 to 30 days.");
        if (RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
            yield return new ValidationResult("Webhooks:RetryBaseDelay must be positive and at most Webhooks:RetryMaxDelay.");
        if (DispatchInterval < TimeSpan.FromSeconds(1) || DispatchInterval > TimeSpan.FromSeconds(59) || DispatchInterval.Milliseconds != 0)
            yield return new ValidationResult("Webhooks:DispatchInterval must be whole seconds from 1 to 59.");
        if (Workers is < 1 or > 32)
            yield return new ValidationResult("Webhooks:Workers must be from 1 to 32.");
        if (MaxInFlight is < 1 or > 256)
            yield return new ValidationResult("Webhooks:MaxInFlight must be from 1 to 256.");
    }
}
