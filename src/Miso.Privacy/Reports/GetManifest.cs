using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Reports;

public static class GetManifest
{
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Handle(string reportId, PrivacyDbContext db, CancellationToken ct)
    {
        if (Guid.TryParse(reportId, out var id) && await ReportLedger.FindAsync(db, id, ct) is { } manifest)
            return TypedResults.Text(manifest, "text/plain; charset=utf-8");
        var shown = reportId.Length <= 64 ? reportId : reportId[..64] + "…";
        return Problems.Field("report_id", $"No finished export has the report id '{shown}'.", StatusCodes.Status404NotFound);
    }
}
