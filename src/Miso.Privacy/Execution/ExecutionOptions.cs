using System.ComponentModel.DataAnnotations;

namespace Miso.Privacy.Execution;

public sealed class ExecutionOptions : IValidatableObject
{
    public const string Section = "Execution";

    /// <summary>User ids per Miso call, across as many requests as needed.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Per Miso environment, summed over every instance of the service.</summary>
    public double MaxCallsPerSecond { get; set; } = 10;

    /// <summary>A partial batch waits this long for more ids before it is sent anyway.</summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the recurring drain runs (whole seconds, 1–59).</summary>
    public TimeSpan DrainInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a claimed batch belongs to its drain; longer than any call with its retries can take.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    public int MaxAttempts { get; set; } = 10;

    /// <summary>Backoff of the job's own retries: base × 2^(attempt−1), capped, with jitter (≈2 hours over 10 attempts).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Run a Hangfire server (workers) in this instance; an instance can also only serve the API.</summary>
    public bool RunServer { get; set; } = true;

    public int Workers { get; set; } = 4;

    /// <summary>
    /// Offsets after completion at which a request's Miso deletions run again (its sweeps), as a comma-separated list of
    /// ascending positive durations; <c>[]</c> or empty: none, and the identifiers are shredded at completion.
    /// One string rather than a list because configuration cannot bind an empty list over a default one.
    /// </summary>
    public string Sweeps { get; set; } = "1.00:00:00, 7.00:00:00, 30.00:00:00";

    public IReadOnlyList<TimeSpan> SweepOffsets => SweepSchedule.Parse(Sweeps) ?? [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BatchSize is < 1 or > 10_000)
            yield return new ValidationResult("Execution:BatchSize must be from 1 to 10000.");
        if (MaxCallsPerSecond is < 0.1 or > 10_000)
            yield return new ValidationResult("Execution:MaxCallsPerSecond must be from 0.1 to 10000.");
        if (MaxAttempts is < 1 or > 100)
            yield return new ValidationResult("Execution:MaxAttempts must be from 1 to 100.");
        if (Workers is < 1 or > 64)
            yield return new ValidationResult("Execution:Workers must be from 1 to 64.");
        if (BatchWindow < TimeSpan.Zero)
            yield return new ValidationResult("Execution:BatchWindow must not be negative.");
        if (DrainInterval < TimeSpan.FromSeconds(1) || DrainInterval > TimeSpan.FromSeconds(59) || DrainInterval.Milliseconds != 0)
            yield return new ValidationResult("Execution:DrainInterval must be whole seconds from 1 to 59.");
        if (Lease < TimeSpan.FromSeconds(1))
            yield return new ValidationResult("Execution:Lease must be at least a second.");
        if (SweepSchedule.Parse(Sweeps) is null)
            yield return new ValidationResult("Execution:Sweeps must be a comma-separated list of ascending positive durations (d.hh:mm:ss), at most 20, or [] for none.");
        if (RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
            yield return new ValidationResult("Execution:RetryBaseDelay must be positive and at most Execution:RetryMaxDelay.");
    }
}
