using Miso.Privacy.Infrastructure.Auth;

namespace Miso.Privacy.Sweeps;

public static class SweepsSetup
{
    public static IServiceCollection AddSweeps(this IServiceCollection services)
    {
        services.AddScoped<SweepPlanner>().AddScoped<SweepClaims>().AddScoped<SweepRunner>();
        return services;
    }

    public static IEndpointRouteBuilder MapSweeps(this IEndpointRouteBuilder app)
    {
        // Replays are an operator's act on every recent request at once: admin only, both the act and its progress.
        var sweeps = app.MapGroup("/api/v1/sweeps").WithTags("Sweeps").RequireAuthorization(Scopes.Admin);
        sweeps.MapPost("/", CreateReplay.Handle);
        sweeps.MapGet("/{id}", GetReplay.Handle);
        return app;
    }
}
