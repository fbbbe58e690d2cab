using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Miso.Privacy.Infrastructure.Health;

public static class HealthSetup
{
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<SchemaReadyCheck>("schema", tags: ["ready"])
            .AddCheck<ServiceRoleReadyCheck>("service-role", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // Probes carry no key; the answers name no subject.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }
}
