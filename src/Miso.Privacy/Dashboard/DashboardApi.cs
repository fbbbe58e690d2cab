namespace Miso.Privacy.Dashboard;

public static class DashboardApi
{
    public static IServiceCollection AddDashboard(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app) => app;
}
