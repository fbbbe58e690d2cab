namespace Miso.Privacy.Reports;

public static class ReportsApi
{
    public static IServiceCollection AddReports(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapReportsEndpoints(this IEndpointRouteBuilder app) => app;
}
