using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Infrastructure.Health;

/// <summary>
/// Ready also means the service cannot rewrite its own evidence: connected as a superuser or as the audit table's
/// owner (or with more than read and append on it), it serves nothing until it is given its own role.
/// </summary>
sealed class ServiceRoleReadyCheck(PrivacyDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var problem = await db.Database.SqlQueryRaw<string?>("""
                SELECT CASE WHEN r.rolsuper THEN 'is a superuser'
                            WHEN pg_has_role(current_user, c.relowner, 'MEMBER') THEN 'owns privacy.audit_events, or can act as its owner'
                            WHEN has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE') OR has_table_privilege(c.oid, 'TRUNCATE')
                                THEN 'may update, delete or truncate privacy.audit_events' END AS "Value"
                  FROM pg_roles r, pg_class c
                 WHERE r.rolname = current_user AND c.oid = to_regclass('privacy.audit_events')
                """).SingleOrDefaultAsync(ct);
            return problem is null
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"The service's database role {problem}: connect as the role the migration runner grants (--service-role).");
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database is unreachable.");
        }
    }
}
