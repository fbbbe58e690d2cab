namespace Miso.Privacy.Sweeps;

/// <summary>An operator's restore replay: every request completed after a time, swept again now.</summary>
public sealed class SweepReplay
{
    public Guid Id { get; init; }
    public required string RequestedBy { get; init; }
    public required string Reason { get; init; }
    public DateTimeOffset CompletedAfter { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Requests whose identifiers could still be read, and so are swept.</summary>
    public int Requests { get; init; }

    /// <summary>Requests completed after the time whose key was already shredded: named, so nobody takes them as swept.</summary>
    public Guid[] OutOfReach { get; init; } = [];
}
