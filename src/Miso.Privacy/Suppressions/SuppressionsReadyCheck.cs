using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Miso.Privacy.Suppressions;

/// <summary>An instance without its suppression set could only refuse uploads, so it is not ready.</summary>
sealed class SuppressionsReadyCheck(SuppressionSync sync) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(sync.IsLoaded
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The suppression set is still loading."));
}
