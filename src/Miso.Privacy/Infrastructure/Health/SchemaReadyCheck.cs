using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Infrastructure.Health;

/// <summary>Ready means the database answers and holds the schema this build was written for.</summary>
sealed class SchemaReadyCheck(PrivacyDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var applied = await db.Database.GetAppliedMigrationsAsync(ct);
            return applied.Contains(SchemaVersion.Required)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"Migration {SchemaVersion.Required} is not applied; run the migrations.");
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database is unreachable.");
        }
    }
}
