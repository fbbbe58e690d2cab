using Miso.Privacy.Infrastructure.Auth;

namespace Miso.Privacy.Reports;

public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsEndpoints(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/v1/reports").WithTags("Reports").RequireAuthorization(Scopes.ReportsRead);
        reports.MapGet("/erasures", ErasureReport.Handle);
        reports.MapGet("/erasure-subjects", ErasureSubjectsReport.Handle);
        reports.MapGet("/metrics", RecordKeepingMetrics.Handle);
        reports.MapGet("/manifests/{reportId}", GetManifest.Handle);
        app.MapGet("/api/v1/audit/events", AuditEventsExport.Handle).WithTags("Audit").RequireAuthorization(Scopes.ReportsRead);
        return app;
    }
}
