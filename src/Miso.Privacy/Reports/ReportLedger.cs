using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Signing;

namespace Miso.Privacy.Reports;

/// <summary>
/// Manifests live in the audit chain as <c>report.exported</c> events: every instance can serve them,
/// exports are themselves audited, and a manifest cannot be swapped afterwards without breaking the chain.
/// </summary>
public static class ReportLedger
{
    public const string Action = "report.exported";

    public static string ManifestPath(Guid reportId) => $"/api/v1/reports/manifests/{reportId:D}";

    public static async Task RecordAsync(PrivacyDbContext db, ReportManifest manifest, SigningKey key, CancellationToken ct)
    {
        var text = manifest.ToSignedText(key);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await AuditLog.AppendAsync(db, manifest.GeneratedBy, manifest.GeneratedAt, new AuditEntry(Action, null, null, new
        {
            report_id = manifest.ReportId,
            report = manifest.Report,
            format = manifest.Format,
            rows = manifest.Rows,
            content_sha256 = manifest.ContentSha256,
            manifest = text,
        }), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// The id is a UUIDv7 minted when the export started, so only events from then on are searched
    /// (through the occurred_at index); the margin covers clock skew between instances.
    /// </summary>
    public static async Task<string?> FindAsync(PrivacyDbContext db, Guid reportId, CancellationToken ct)
    {
        if (reportId.Version != 7)
            return null;
        var started = StartedAt(reportId).AddMinutes(-5);
        var id = reportId.ToString("D");
        return await db.Database.SqlQuery<string>($"""
            SELECT details->>'manifest' AS "Value" FROM privacy.audit_events
             WHERE occurred_at >= {started} AND action = {Action} AND details->>'report_id' = {id}
             LIMIT 1
            """).SingleOrDefaultAsync(ct);
    }

    static DateTimeOffset StartedAt(Guid reportId) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reportId.ToString("N")[..12], 16));
}
