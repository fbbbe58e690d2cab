namespace Miso.Privacy.Suppressions;

/// <summary>
/// One row: the version of the suppression set, bumped in every transaction that changes it, under the
/// ledger lock. Changes therefore commit in version order, and an instance that reads version V knows
/// every change up to V is visible.
/// </summary>
public sealed class SuppressionState
{
    public int Id { get; init; }
    public long Version { get; set; }
}
