using Miso.Privacy.Infrastructure.Auth;

namespace Miso.Privacy.Dashboard;

public static class DashboardApi
{
    public static IServiceCollection AddDashboard(this IServiceCollection services) =>
        services.AddSingleton<SummaryCache>().AddHostedService<RecurringSummaryCompactionRegistration>().AddHostedService<SummaryFolding>();

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/dashboard").WithTags("Dashboard").RequireAuthorization(Scopes.ErasureRead);
        api.MapGet("/summary", GetSummary.Handle);
        api.MapGet("/daily", GetDaily.Handle);
        return app.MapDashboardPage();
    }
}
