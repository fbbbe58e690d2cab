namespace Miso.Privacy.Suppressions;

/// <summary>
/// One running instance's promise: until <see cref="ExpiresAt"/> it forwards without asking the database, and its
/// suppression set holds every change up to <see cref="AppliedVersion"/>. A suppression change returns to its
/// caller only once every unexpired lease has applied it, or has expired.
/// </summary>
public sealed class ForwarderLease
{
    public Guid InstanceId { get; init; }
    public long AppliedVersion { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
