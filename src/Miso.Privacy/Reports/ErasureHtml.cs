using System.Globalization;
using System.Net;
using System.Text;
using Miso.Privacy.Erasure;
using Npgsql;

namespace Miso.Privacy.Reports;

/// <summary>A printable page: period, generation time and totals first (one aggregate over the same snapshot), then every row.</summary>
public static class ErasureHtml
{
    static readonly string TotalsSql = $"""
        SELECT count(*), count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'cancelled'),
               count(*) FILTER (WHERE status IN {OpenStatuses.Sql}),
               count(*) FILTER (WHERE status = 'completed' AND NOT {ResponseClock.LateSql("r")}),
               count(*) FILTER (WHERE status = 'completed' AND {ResponseClock.LateSql("r")}),
               count(*) FILTER (WHERE status IN {OpenStatuses.Sql} AND due_at < @now),
               coalesce(sum(user_id_count + anonymous_id_count), 0), coalesce(sum(miso_calls), 0),
               count(*) FILTER (WHERE extended_at IS NOT NULL),
               count(*) FILTER (WHERE shredded_at IS NOT NULL),
               (SELECT coalesce(sum(b.blocked_records), 0)::bigint FROM privacy.blocked_uploads b
                  JOIN privacy.erasure_requests q ON q.id = b.request_id WHERE q.received_at >= @from AND q.received_at < @to)
          FROM privacy.erasure_requests r WHERE received_at >= @from AND received_at < @to
        """;

    public static async Task<long> WriteAsync(ReportContext context, Stream body, CancellationToken ct)
    {
        var totals = await TotalsAsync(context, ct);
        await using var html = new StreamWriter(body, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await html.WriteAsync(Head(context, totals));
        long rows = 0;
        await foreach (var r in ErasureRow.ReadAsync(context, ct))
        {
            var within = r.WithinDeadline(context.GeneratedAt);
            await html.WriteAsync($"""
                <tr class="{within}"><td>{r.Number}<br><code>{r.Id:D}</code></td><td>{r.Regulation}<br>{r.Type}</td><td>{E(r.RequestedBy)}</td><td>{E(r.Ticket)}</td>
                <td>{Day(r.ReceivedAt)}</td><td>{Day(r.SubmittedAt)}</td><td>{Day(r.DueAt)}{Extension(r)}</td><td>{(r.CompletedAt is { } c ? Day(c) : r.Status)}</td>
                <td class="n">{r.DaysTaken?.ToString("0.##", CultureInfo.InvariantCulture)}</td><td>{within}</td><td class="n">{r.Subjects}</td>
                <td>{E(string.Join(", ", r.Environments))}</td><td class="n">{r.MisoCalls}</td><td>{Sweeps(r)}</td><td class="n">{Blocked(r)}</td>
                <td class="h">{r.SubjectsDigest}</td></tr>

                """);
            if (++rows % 500 == 0)
                await html.FlushAsync(ct);
        }
        await html.WriteAsync($"""
            </tbody></table>
            <p class="foot">{rows} rows. Manifest (SHA-256 of this file, chain head, signature): <code>GET /api/v1/reports/manifests/{context.ReportId:D}</code></p>
            </body></html>

            """);
        await html.FlushAsync(ct);
        return rows;
    }

    static string Head(ReportContext context, long[] t) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Erasure report {{Day(context.GeneratedAt)}}</title>
        <style>
        body { font: 13px/1.45 system-ui, sans-serif; color: #1f2933; margin: 2rem; }
        h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
        dl { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; margin: 0; } dt { color: #52606d; }
        table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #d9e2ec; padding: .3rem .4rem; text-align: left; vertical-align: top; }
        th { background: #f0f4f8; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        td.h, code { font: 10px ui-monospace, monospace; word-break: break-all; } tr.no td { color: #b42318; }
        .totals td { font-size: 1rem; } .foot { color: #52606d; margin-top: 1rem; }
        @media print { body { margin: 0; } thead { display: table-header-group; } tr { break-inside: avoid; } }
        </style></head><body>
        <h1>Erasure requests report</h1>
        <dl>
        <dt>Period (received)</dt><dd>{{(context.From is { } f ? Day(f) : "beginning")}} – {{Day(context.To)}} (end exclusive)</dd>
        <dt>Generated</dt><dd>{{Day(context.GeneratedAt)}}</dd>
        <dt>Report id</dt><dd><code>{{context.ReportId:D}}</code></dd>
        <dt>Audit chain head</dt><dd>seq {{context.Head?.Seq ?? 0}} <code>{{context.Head?.Hash}}</code></dd>
        </dl>
        <h2>Totals</h2>
        <table class="totals"><tr><th class="n">Requests</th><th class="n">Completed</th><th class="n">Within deadline</th><th class="n">Late</th>
        <th class="n">Open</th><th class="n">Open and overdue</th><th class="n">Cancelled</th><th class="n">Subjects</th><th class="n">Miso calls</th>
        <th class="n">Extended</th><th class="n">Identifiers shredded</th><th class="n">Uploads blocked</th></tr>
        <tr><td class="n">{{t[0]}}</td><td class="n">{{t[1]}}</td><td class="n">{{t[4]}}</td><td class="n">{{t[5]}}</td><td class="n">{{t[3]}}</td>
        <td class="n">{{t[6]}}</td><td class="n">{{t[2]}}</td><td class="n">{{t[7]}}</td><td class="n">{{t[8]}}</td><td class="n">{{t[9]}}</td>
        <td class="n">{{t[10]}}</td><td class="n">{{t[11]}}</td></tr></table>
        <h2>Requests</h2>
        <p>Days taken run from submission to completion; a request is within its deadline when it completed by its due date, extended or not.
        Subjects are counted here; their keyed hashes (HMAC-SHA256, never the identifiers) are in the erasure-subjects report, and the digest
        is SHA-256 over them sorted bytewise, as in the request's request.created audit event.
        Sweeps re-run a completed request's Miso deletions at each scheduled offset after completion; done counts restore replays too.
        Once its data key is shredded, its user ids can no longer be read by anyone, and only keyed hashes remain.
        Uploads blocked are records of its subjects that the service dropped after the request was filed, with the last time one was.</p>
        <table><thead><tr><th>Request</th><th>Regulation, type</th><th>Requested by</th><th>Ticket</th><th>Received</th><th>Submitted</th><th>Due</th>
        <th>Completed</th><th class="n">Days</th><th>Within deadline</th><th class="n">Subjects</th><th>Environments</th><th class="n">Miso calls</th><th>Sweeps, identifiers shredded</th>
        <th class="n">Uploads blocked</th><th>Subjects digest</th></tr></thead>
        <tbody>

        """;

    static async Task<long[]> TotalsAsync(ReportContext context, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(TotalsSql, context.Connection, context.Transaction);
        command.Parameters.AddWithValue("from", context.From ?? DateTimeOffset.UnixEpoch);
        command.Parameters.AddWithValue("to", context.To);
        command.Parameters.AddWithValue("now", context.GeneratedAt);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetInt64).ToArray();
    }

    static string Extension(ErasureRow r) => r.OriginalDueAt is { } original
        ? $"<br><small>extended from {Day(original)}, person told {(r.NotifiedAt is { } n ? Day(n) : "")}: {E(r.ExtensionReason)}</small>"
        : "";

    static string Sweeps(ErasureRow r)
    {
        var shredded = r.ShreddedAt is { } s ? $"shredded {Day(s)}" : "";
        if (r.SweepsScheduled == 0 && r.SweepsDone == 0)
            return shredded;
        var failed = r.SweepsFailed > 0 ? $", {r.SweepsFailed} failed" : "";
        return $"{r.SweepsScheduled} scheduled, {r.SweepsDone} done{failed}" + (shredded.Length > 0 ? $"<br>{shredded}" : "");
    }

    static string Blocked(ErasureRow r) =>
        r.LastBlockedAt is { } last ? $"{r.BlockedRecords}<br><small>last {Day(last)}</small>" : r.BlockedRecords.ToString(CultureInfo.InvariantCulture);

    static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
