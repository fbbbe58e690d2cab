namespace Miso.Privacy.Infrastructure.Database;

/// <summary>
/// The newest migration this build needs. Readiness fails until the database has it, so an
/// instance never serves traffic on an older schema. A test keeps it equal to the newest migration.
/// </summary>
public static class SchemaVersion
{
    public const string Required = "20261203093432_RateGrantsSettle";
}
