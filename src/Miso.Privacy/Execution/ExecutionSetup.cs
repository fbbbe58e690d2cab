using Hangfire;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure.Auth;

namespace Miso.Privacy.Execution;

public static class ExecutionSetup
{
    public const string HangfireSchema = "hangfire";

    public static IServiceCollection AddExecution(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExecutionOptions>().BindConfiguration(ExecutionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RateGateStore>();
        services.AddScoped<WorkPlanner>().AddScoped<RequestProgress>().AddScoped<BatchClaims>().AddScoped<BatchRunner>();
        services.AddSingleton<Drainer>().AddTransient<DrainJob>();
        services.AddSingleton<ExecutionFaults>();
        services.AddSingleton<DrainTrigger>().AddSingleton<IErasureRequestObserver>(sp => sp.GetRequiredService<DrainTrigger>());

        var execution = configuration.GetSection(ExecutionOptions.Section).Get<ExecutionOptions>() ?? new ExecutionOptions();
        services.AddHangfireForThisHost(execution);
        services.AddHostedService<RecurringDrainRegistration>();
        return services;
    }

    public static IEndpointRouteBuilder MapExecution(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/erasure-requests/{id}/retry", RetryFailedRequest.Handle)
            .RequireAuthorization(Scopes.Admin).WithTags("Erasure requests");
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [], AsyncAuthorization = [] },
                app.ServiceProvider.GetRequiredService<JobStorage>())
            .RequireAuthorization(Scopes.Admin);
        return app;
    }
}
