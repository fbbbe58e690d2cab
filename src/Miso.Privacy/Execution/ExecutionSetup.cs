using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure.Auth;
using Npgsql;

namespace Miso.Privacy.Execution;

public static class ExecutionSetup
{
    public const string HangfireSchema = "hangfire";

    public static IServiceCollection AddExecution(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExecutionOptions>().BindConfiguration(ExecutionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var connectionString = configuration.GetConnectionString("Privacy")
            ?? throw new InvalidOperationException("ConnectionStrings:Privacy is not set.");
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddSingleton<RateGateStore>();
        services.AddScoped<WorkPlanner>().AddScoped<RequestProgress>().AddScoped<BatchClaims>().AddScoped<BatchRunner>();
        services.AddSingleton<Drainer>().AddTransient<DrainJob>();
        services.AddSingleton<ExecutionFaults>();
        services.AddSingleton<DrainTrigger>().AddSingleton<IErasureRequestObserver>(sp => sp.GetRequiredService<DrainTrigger>());

        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions
            {
                SchemaName = HangfireSchema,
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = TimeSpan.FromSeconds(1),
                EnableLongPolling = true,
            }));
        var execution = configuration.GetSection(ExecutionOptions.Section).Get<ExecutionOptions>() ?? new ExecutionOptions();
        if (execution.RunServer)
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = execution.Workers;
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            });
        return services;
    }

    public static IEndpointRouteBuilder MapExecution(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<ExecutionOptions>>().Value;
        app.ServiceProvider.GetRequiredService<IRecurringJobManager>().AddOrUpdate<DrainJob>(
            DrainJob.RecurringId, job => job.RunAsync(CancellationToken.None), $"*/{(int)options.DrainInterval.TotalSeconds} * * * * *");

        app.MapPost("/api/v1/erasure-requests/{id}/retry", RetryFailedRequest.Handle)
            .RequireAuthorization(Scopes.Admin).WithTags("Erasure requests");
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [], AsyncAuthorization = [] })
            .RequireAuthorization(Scopes.Admin);
        return app;
    }
}
