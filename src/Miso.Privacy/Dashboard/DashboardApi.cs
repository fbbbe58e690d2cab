using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Dashboard;

public static class DashboardApi
{
    internal const string PoolKey = "dashboard-pool";

    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        // Its own small pool, so the summary and its fold never queue behind creates and jobs for a connection. Nothing
        // here changes session state (the fold's lock is transaction-scoped), so connections skip the reset and keep the
        // summary's prepared statement.
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddKeyedSingleton(PoolKey, (sp, _) => sp.GetRequiredService<SeparatePools>().Create(c =>
            (c.NoResetOnClose, c.Timeout, c.MaxPoolSize) = (true, 5, 3)));
        return services.AddSingleton<SummaryCache>().AddHostedService<RetiredSummaryCompactionJob>().AddHostedService<SummaryFolding>();
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/dashboard").WithTags("Dashboard").RequireAuthorization(Scopes.ErasureRead);
        api.MapGet("/summary", GetSummary.Handle);
        api.MapGet("/daily", GetDaily.Handle);
        return app.MapDashboardPage();
    }
}
