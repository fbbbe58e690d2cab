using System.ComponentModel.DataAnnotations;

namespace Miso.Privacy.Erasure;

/// <summary>The legal clock's settings: where a day ends, and the deadlines the law leaves to the operator.</summary>
public sealed class ComplianceOptions : IValidatableObject
{
    public const string Section = "Compliance";
    public const int MaxDays = 366;

    /// <summary>IANA time zone whose midnight ends a due day (UTC unless set).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary><c>Compliance:Deadlines:Other</c>: calendar days a request under <c>other</c> has (30).</summary>
    public OtherRegulationDays Deadlines { get; set; } = new() { Other = 30 };

    /// <summary><c>Compliance:Extensions:Other</c>: further calendar days an <c>other</c> request may be extended by (0: none).</summary>
    public OtherRegulationDays Extensions { get; set; } = new() { Other = 0 };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ZoneOf(TimeZone) is null)
            yield return new ValidationResult(
                $"Compliance:TimeZone must be an IANA time zone id, like UTC, Europe/London or America/Los_Angeles; '{TimeZone}' is not one.");
        if (Deadlines.Other is < 1 or > MaxDays)
            yield return new ValidationResult($"Compliance:Deadlines:Other must be whole calendar days from 1 to {MaxDays}.");
        if (Extensions.Other is < 0 or > MaxDays)
            yield return new ValidationResult($"Compliance:Extensions:Other must be whole calendar days from 0 (no extension) to {MaxDays}.");
    }

    /// <summary>Only IANA ids: a Windows id would mean another zone database on another machine.</summary>
    public static TimeZoneInfo? ZoneOf(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId ? zone : null;
}

public sealed class OtherRegulationDays
{
    public int Other { get; set; }
}
