using System.Data;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Signing;
using Npgsql;

namespace Miso.Privacy.Reports;

/// <summary>What a report writer reads from: one repeatable-read snapshot, so rows and the chain head agree.</summary>
public sealed record ReportContext(
    Guid ReportId, DateTimeOffset GeneratedAt, DateTimeOffset? From, DateTimeOffset To, ChainHead? Head,
    NpgsqlConnection Connection, NpgsqlTransaction Transaction);

public delegate Task<long> ReportWriter(ReportContext context, Stream body, CancellationToken ct);

public sealed record ReportKind(string Report, string Format, string ContentType, string Extension, bool Attachment = true);

/// <summary>
/// Streams an export straight to the response, hashing it on the way, then signs the manifest and
/// records it in the audit chain (shared by every instance), where GET /reports/manifests/{id} finds it.
/// </summary>
public sealed class ReportStream(ReportKind kind, DateTimeOffset? from, DateTimeOffset to, ReportWriter write) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var db = services.GetRequiredService<PrivacyDbContext>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var ct = http.RequestAborted;
        var reportId = Guid.CreateVersion7(now);

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            long rows;
            ChainHead? head;
            await using var hashing = new HashingStream(http.Response.Body);
            await using (var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct))
            {
                var connection = (NpgsqlConnection)db.Database.GetDbConnection();
                var transaction = (NpgsqlTransaction)snapshot.GetDbTransaction();
                head = await HeadAsync(connection, transaction, ct);
                WriteHeaders(http, reportId);
                rows = await write(new ReportContext(reportId, now, from, to, head, connection, transaction), hashing, ct);
                await hashing.FlushAsync(ct);
                await snapshot.CommitAsync(ct);
            }
            var manifest = new ReportManifest(reportId, kind.Report, kind.Format, from, to, now, http.User.Actor(),
                rows, hashing.Bytes, hashing.Sha256Hex(), head);
            await ReportLedger.RecordAsync(db, manifest, services.GetRequiredService<SigningKeys>().Current, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    void WriteHeaders(HttpContext http, Guid reportId)
    {
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = kind.ContentType;
        var file = $"{kind.Report}-{reportId:D}.{kind.Extension}";
        response.Headers.ContentDisposition = $"{(kind.Attachment ? "attachment" : "inline")}; filename=\"{file}\"";
        response.Headers["X-Report-Id"] = reportId.ToString("D");
        response.Headers["X-Report-Manifest"] = ReportLedger.ManifestPath(reportId);
        response.Headers.CacheControl = "no-store";
    }

    static async Task<ChainHead?> HeadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT seq, hash FROM privacy.audit_events ORDER BY seq DESC LIMIT 1", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new ChainHead(reader.GetInt64(0), Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(1))) : null;
    }
}
