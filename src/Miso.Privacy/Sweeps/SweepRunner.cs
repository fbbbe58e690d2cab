using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Miso.Privacy.Audit;
using Miso.Privacy.Execution;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Telemetry;
using Miso.Privacy.Miso;
using Miso.Privacy.Retention;
using Miso.Privacy.Subjects;

namespace Miso.Privacy.Sweeps;

/// <summary>
/// Carries one claimed batch of sweep items out as <see cref="BatchRunner"/> does work items: open the sealed ids in
/// memory only, call Miso once (through the same rate gate), and record the outcome only while the batch still owns
/// its items. A sweep whose last item lands writes <c>request.swept</c>; a request whose last sweep lands is shredded,
/// in the same transaction. Deletions are idempotent at Miso, so a batch repeated after a crash deletes nothing twice.
/// </summary>
public sealed class SweepRunner(
    PrivacyDbContext db, MisoClient miso, RetentionEnvelope envelope, IOptions<ExecutionOptions> options, TimeProvider clock,
    ExecutionFaults faults, PrivacyMetrics metrics, ILogger<SweepRunner> logger)
{
    public const string Unreadable = "identifier unreadable: the request's key is shredded or its ciphertext was altered";

    sealed record SealedRow(long ItemId, Guid RequestId, long SubjectId, byte[]? SealedValue, byte[]? DataKey, byte[] Hash);

    public async Task RunAsync(ClaimedBatch batch, CancellationToken ct)
    {
        var ids = batch.Items.Select(i => i.Id).ToArray();
        var rows = await db.Database.SqlQuery<SealedRow>($"""
            SELECT i.id AS item_id, i.request_id, i.subject_id, s.sealed_value, r.data_key, s.hash
            FROM privacy.sweep_items i
            JOIN privacy.request_subjects s ON s.id = i.subject_id
            JOIN privacy.erasure_requests r ON r.id = i.request_id
            WHERE i.id = ANY({ids})
            """).ToListAsync(ct);
        var (opened, unreadable) = Open(rows);
        var userIds = opened.Values.Distinct(StringComparer.Ordinal).ToList();
        var hashes = rows.Where(r => opened.ContainsKey(r.ItemId)).Select(r => r.Hash).DistinctBy(Convert.ToHexString).ToList();

        MisoResult? result = null;
        var watch = Stopwatch.StartNew();
        if (userIds.Count > 0)
        {
            result = batch.Operation == MisoOperation.DeleteInteractions
                ? await miso.DeleteInteractionsAsync(batch.Environment, userIds, ct)
                : await miso.DeleteUsersAsync(batch.Environment, userIds, ct);
            watch.Stop();
            metrics.MisoCall(batch.Environment, batch.Operation, result.StatusCode, watch.Elapsed);
        }
        await faults.AfterMisoCallAsync(batch, ct);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RecordAsync(batch, [.. opened.Keys], unreadable, result, userIds.Count, hashes, watch.Elapsed, ct);
                break;
            }
            catch (Exception e) when (attempt < 5 && IsConflict(e))
            {
                db.ChangeTracker.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), ct);
            }
        }
        logger.LogInformation("Sweep {Operation} in {Environment}: {Ids} ids, status {Status}, {Unreadable} unreadable",
            batch.Operation, batch.Environment, userIds.Count, result?.StatusCode, unreadable.Count);
    }

    /// <summary>The readable ids, each under its request's own key; an item whose key or value does not open is reported, never sent.</summary>
    (Dictionary<long, string> Opened, List<long> Unreadable) Open(List<SealedRow> rows)
    {
        var opened = new Dictionary<long, string>();
        var unreadable = new List<long>();
        foreach (var request in rows.GroupBy(r => r.RequestId))
        {
            byte[]? key = null;
            try
            {
                key = request.First().DataKey is { } wrapped ? envelope.Unwrap(request.Key, wrapped) : null;
                foreach (var row in request)
                {
                    if (key is null || row.SealedValue is null)
                    {
                        unreadable.Add(row.ItemId);
                        continue;
                    }
                    try
                    {
                        opened[row.ItemId] = RetentionEnvelope.Open(key, row.RequestId, row.SubjectId, row.SealedValue);
                    }
                    catch (CryptographicException)
                    {
                        unreadable.Add(row.ItemId);
                    }
                }
            }
            catch (CryptographicException)
            {
                unreadable.AddRange(request.Select(r => r.ItemId));
            }
            finally
            {
                if (key is not null)
                    Array.Clear(key);
            }
        }
        return (opened, unreadable);
    }

    async Task RecordAsync(ClaimedBatch batch, long[] sent, List<long> unreadable, MisoResult? result, int idCount,
        List<byte[]> hashes, TimeSpan elapsed, CancellationToken ct)
    {
        var o = options.Value;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The request rows are the lock every settling batch takes first, so the last item of a sweep (or the last sweep
        // of a request) is seen as last by exactly one transaction, and dates the sweep after every other batch's call.
        await RequestProgress.LockAsync(db, batch.Items.Select(i => i.RequestId), ct);
        var now = AuditHashing.ToStoredPrecision(clock.GetUtcNow());
        var landed = 0;
        var outcome = "none";
        if (result is not null)
        {
            var owned = Owned(batch, sent);
            if (result.Succeeded)
            {
                outcome = "deleted";
                landed += await owned.ExecuteUpdateAsync(u => u.SetProperty(w => w.State, WorkItemState.Deleted).SetProperty(w => w.DoneAt, now)
                    .SetProperty(w => w.MisoStatus, result.StatusCode).SetProperty(w => w.MisoMessage, result.Message)
                    .SetProperty(w => w.LastError, (string?)null), ct);
            }
            else
            {
                var error = $"{result.StatusCode}: {result.Message}";
                var attempts = await db.SweepItems.Where(w => w.BatchId == batch.Id).MaxAsync(w => (int?)w.Attempts, ct) ?? 1;
                var retryAt = now + RetrySchedule.Delay(o, attempts, result.RetryAfter);
                var retryable = result.Retryable;
                outcome = retryable ? "retrying" : "failed";
                landed += await owned.ExecuteUpdateAsync(u => u
                    .SetProperty(w => w.State, w => retryable && w.Attempts < o.MaxAttempts ? WorkItemState.Retrying : WorkItemState.Failed)
                    .SetProperty(w => w.DoneAt, w => retryable && w.Attempts < o.MaxAttempts ? (DateTimeOffset?)null : now)
                    .SetProperty(w => w.NextAttemptAt, retryAt).SetProperty(w => w.LastError, error)
                    .SetProperty(w => w.MisoStatus, result.StatusCode).SetProperty(w => w.MisoMessage, result.Message), ct);
            }
        }
        landed += await Owned(batch, [.. unreadable]).ExecuteUpdateAsync(u => u.SetProperty(w => w.State, WorkItemState.Failed)
            .SetProperty(w => w.DoneAt, now).SetProperty(w => w.LastError, Unreadable), ct);
        var audit = new PendingAudit();
        if (landed > 0)
            await SettleAsync(batch.Items.Select(i => i.Id).ToArray(), now, audit, ct);
        if (result is not null)
            audit.Add(RequestProgress.Actor, now, new AuditEntry("miso.call", null, null, new
            {
                batch_id = batch.Id,
                sweep = true,
                environment = batch.Environment,
                operation = BatchClaims.Text(batch.Operation),
                ids = idCount,
                status = result.StatusCode,
                message = result.Message,
                duration_ms = (long)elapsed.TotalMilliseconds,
                outcome = landed > 0 ? outcome : "superseded",
                subject_hashes = hashes.Select(SubjectHasher.ToHex),
            }));
        // Every row is written: the ledger lock, which every create waits for, is held for the chain's events alone.
        await audit.AppendAsync(db, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    IQueryable<SweepItem> Owned(ClaimedBatch batch, long[] itemIds) =>
        db.SweepItems.Where(w => itemIds.Contains(w.Id) && w.BatchId == batch.Id && w.State == WorkItemState.InFlight);

    sealed record SweptRow(long Id, Guid RequestId, int Round, Guid? ReplayId, string Outcome);

    sealed record AnswerRow(long SweepId, string Environment, string Operation, string State, int? MisoStatus, string? Message, int Items);

    /// <summary>Sweeps whose every item has an outcome: one <c>request.swept</c> each; then requests with no sweep left are shredded.</summary>
    async Task SettleAsync(long[] itemIds, DateTimeOffset now, PendingAudit audit, CancellationToken ct)
    {
        var swept = await db.Database.SqlQuery<SweptRow>($"""
            UPDATE privacy.request_sweeps rs SET swept_at = {now},
                outcome = CASE WHEN EXISTS (SELECT 1 FROM privacy.sweep_items i WHERE i.sweep_id = rs.id AND i.state = 'failed')
                               THEN 'failed' ELSE 'deleted' END
            WHERE rs.id IN (SELECT sweep_id FROM privacy.sweep_items WHERE id = ANY({itemIds})) AND rs.swept_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM privacy.sweep_items i
                              WHERE i.sweep_id = rs.id AND i.state IN ('pending', 'in_flight', 'retrying'))
            RETURNING rs.id, rs.request_id, rs.round, rs.replay_id, rs.outcome
            """).ToListAsync(ct);
        if (swept.Count == 0)
            return;
        var sweepIds = swept.Select(s => s.Id).ToArray();
        var answers = (await db.Database.SqlQuery<AnswerRow>($"""
            SELECT sweep_id, environment, operation, state, miso_status, COALESCE(miso_message, last_error) AS message, count(*)::int AS items
            FROM privacy.sweep_items WHERE sweep_id = ANY({sweepIds})
            GROUP BY sweep_id, environment, operation, state, miso_status, COALESCE(miso_message, last_error)
            ORDER BY environment, operation, state
            """).ToListAsync(ct)).ToLookup(a => a.SweepId);
        var subjects = await db.SweepItems.Where(i => sweepIds.Contains(i.SweepId)).GroupBy(i => i.SweepId)
            .Select(g => new { SweepId = g.Key, Ids = g.Select(i => i.SubjectId).Distinct().Count() })
            .ToDictionaryAsync(g => g.SweepId, g => g.Ids, ct);
        audit.Add(RequestProgress.Actor, now, swept.Select(s => new AuditEntry("request.swept", s.RequestId, null, new
        {
            round = s.Round,
            replay_id = s.ReplayId,
            outcome = s.Outcome,
            environments = answers[s.Id].Select(a => a.Environment).Distinct().Order(StringComparer.Ordinal),
            ids = subjects.GetValueOrDefault(s.Id),
            answers = answers[s.Id].Select(a => new { a.Environment, a.Operation, outcome = a.State, status = a.MisoStatus, a.Message, a.Items }),
            // Miso accepts a deletion as an asynchronous task and does not say how many interactions it removed.
            interactions_deleted = (long?)null,
        })));

        var requests = swept.Select(s => s.RequestId).Distinct().ToArray();
        var done = await db.Database.SqlQuery<Guid>($"""
            SELECT r.id AS "Value" FROM privacy.erasure_requests r
            WHERE r.id = ANY({requests}) AND r.shredded_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM privacy.request_sweeps rs WHERE rs.request_id = r.id AND rs.swept_at IS NULL)
            """).ToListAsync(ct);
        await Shredding.ShredAsync(db, done, RequestProgress.Actor, now, "last sweep done", audit, ct);
    }

    static bool IsConflict(Exception e) =>
        (e as Npgsql.PostgresException ?? e.InnerException as Npgsql.PostgresException)?.SqlState
            is Npgsql.PostgresErrorCodes.DeadlockDetected or Npgsql.PostgresErrorCodes.SerializationFailure;
}
