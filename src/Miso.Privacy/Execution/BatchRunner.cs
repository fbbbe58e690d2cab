using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Miso.Privacy.Audit;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Telemetry;
using Miso.Privacy.Miso;
using Miso.Privacy.Subjects;

namespace Miso.Privacy.Execution;

/// <summary>
/// Carries one claimed batch out: start its requests, drop what was cancelled meanwhile, call Miso once,
/// and record the outcome. The outcome only lands while the batch still owns its items (its lease), so
/// a batch taken over after a crash is counted once, whichever drain finishes first.
/// </summary>
public sealed class BatchRunner(
    PrivacyDbContext db, MisoClient miso, RequestProgress progress, IOptions<ExecutionOptions> options,
    TimeProvider clock, ExecutionFaults faults, PrivacyMetrics metrics, ILogger<BatchRunner> logger)
{
    public async Task RunAsync(ClaimedBatch batch, CancellationToken ct)
    {
        var items = batch.Items;
        if (!batch.Started)
        {
            var requestIds = batch.Items.Select(i => i.RequestId).Distinct().ToList();
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                await progress.MarkInProgressAsync(requestIds, ct);
                await SaveWithoutSavepointAsync(ct);
                await transaction.CommitAsync(ct);
            }
            // A cancel that won the race before the request started: never send its subjects.
            items = await DropCancelledAsync(batch, ct);
            if (items.Count == 0)
                return;
        }
        var subjects = await SubjectsAsync(items, ct);

        var watch = Stopwatch.StartNew();
        var result = batch.Operation == MisoOperation.DeleteInteractions
            ? await miso.DeleteInteractionsAsync(batch.Environment, subjects.UserIds, ct)
            : await miso.DeleteUsersAsync(batch.Environment, subjects.UserIds, ct);
        watch.Stop();
        metrics.MisoCall(batch.Environment, batch.Operation, result.StatusCode, watch.Elapsed);
        await faults.AfterMisoCallAsync(batch, ct);

        // Two batches of one request (other environment or operation) settle it at the same time; a
        // deadlock between them is resolved by PostgreSQL and simply recorded again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RecordAsync(batch, items, subjects, result, watch.Elapsed, ct);
                break;
            }
            catch (Exception e) when (attempt < 5 && IsConflict(e))
            {
                db.ChangeTracker.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), ct);
            }
        }
        logger.LogInformation("Miso {Operation} in {Environment}: {Ids} ids, status {Status}, {Elapsed} ms",
            batch.Operation, batch.Environment, subjects.UserIds.Count, result.StatusCode, watch.ElapsedMilliseconds);
    }

    async Task<List<ClaimedItem>> DropCancelledAsync(ClaimedBatch batch, CancellationToken ct)
    {
        var requestIds = batch.Items.Select(i => i.RequestId).Distinct().ToList();
        var cancelled = await db.ErasureRequests
            .Where(r => requestIds.Contains(r.Id) && r.Status == RequestStatus.Cancelled)
            .Select(r => r.Id).ToListAsync(ct);
        if (cancelled.Count == 0)
            return [.. batch.Items];
        await db.WorkItems.Where(w => w.BatchId == batch.Id && w.State == WorkItemState.InFlight && cancelled.Contains(w.RequestId))
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.State, WorkItemState.Cancelled), ct);
        return batch.Items.Where(i => !cancelled.Contains(i.RequestId)).ToList();
    }

    /// <summary>The claim brought the ids along; a batch claimed otherwise reads them.</summary>
    async Task<BatchSubjects> SubjectsAsync(IReadOnlyList<ClaimedItem> items, CancellationToken ct)
    {
        var rows = items.All(i => i.Hash is not null) ? items.Select(i => (Value: i.UserId, Hash: i.Hash!)).ToList()
            : await LoadSubjectsAsync(items, ct);
        var distinct = rows.Where(r => r.Value is not null).DistinctBy(r => r.Value).ToList();
        return new BatchSubjects(distinct.Select(r => r.Value!).ToList(), distinct.Select(r => r.Hash).ToList());
    }

    async Task<List<(string? Value, byte[] Hash)>> LoadSubjectsAsync(IReadOnlyList<ClaimedItem> items, CancellationToken ct)
    {
        var ids = items.Select(i => i.SubjectId).ToList();
        var rows = await db.RequestSubjects.Where(s => ids.Contains(s.Id)).Select(s => new { s.Value, s.Hash }).ToListAsync(ct);
        return rows.Select(r => (r.Value, r.Hash)).ToList();
    }

    async Task RecordAsync(ClaimedBatch batch, IReadOnlyList<ClaimedItem> items, BatchSubjects subjects, MisoResult result,
        TimeSpan elapsed, CancellationToken ct)
    {
        var o = options.Value;
        var itemIds = items.Select(i => i.Id).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await RequestProgress.LockAsync(db, items.Select(i => i.RequestId), ct);
        var now = AuditHashing.ToStoredPrecision(clock.GetUtcNow());
        var owned = db.WorkItems.Where(w => itemIds.Contains(w.Id) && w.BatchId == batch.Id && w.State == WorkItemState.InFlight);
        int landed;
        string outcome;
        if (result.Succeeded)
        {
            outcome = "deleted";
            landed = await owned.ExecuteUpdateAsync(u => u.SetProperty(w => w.State, WorkItemState.Deleted)
                .SetProperty(w => w.DeletedAt, now).SetProperty(w => w.MisoMessage, result.Message).SetProperty(w => w.LastError, (string?)null), ct);
        }
        else
        {
            var error = $"{result.StatusCode}: {result.Message}";
            var retryAt = now + RetrySchedule.Delay(o, items.Count == 0 ? 1 : await AttemptsAsync(batch, ct), result.RetryAfter);
            outcome = result.Retryable ? "retrying" : "failed";
            var retryable = result.Retryable;
            landed = await owned.ExecuteUpdateAsync(u => u
                .SetProperty(w => w.State, w => retryable && w.Attempts < o.MaxAttempts ? WorkItemState.Retrying : WorkItemState.Failed)
                .SetProperty(w => w.NextAttemptAt, retryAt)
                .SetProperty(w => w.LastError, error), ct);
        }
        // The call is counted on its requests with their settling, only when this batch still owned its items.
        var audit = new PendingAudit();
        if (landed > 0)
            await progress.SettleAsync(items.Select(i => i.RequestId).Distinct().ToArray(), items.Select(i => i.SubjectId).ToArray(), audit, ct);
        audit.Add(RequestProgress.Actor, now, new AuditEntry("miso.call", null, null, new
        {
            batch_id = batch.Id,
            environment = batch.Environment,
            operation = BatchClaims.Text(batch.Operation),
            ids = subjects.UserIds.Count,
            status = result.StatusCode,
            message = result.Message,
            duration_ms = (long)elapsed.TotalMilliseconds,
            outcome = landed > 0 ? outcome : "superseded",
            subject_hashes = subjects.Hashes.Select(SubjectHasher.ToHex),
        }));
        // Every row is written: from the ledger lock to the commit only the chain's head, its events and their deliveries.
        await audit.AppendAsync(db, ct);
        await SaveWithoutSavepointAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>A failed save fails the whole transaction here: it is recorded again in a new one.</summary>
    async Task SaveWithoutSavepointAsync(CancellationToken ct)
    {
        using var noSavepoints = Savepoints.TurnOff(db.Database);
        await db.SaveChangesAsync(ct);
    }

    static bool IsConflict(Exception e) =>
        (e as Npgsql.PostgresException ?? e.InnerException as Npgsql.PostgresException)?.SqlState
            is Npgsql.PostgresErrorCodes.DeadlockDetected or Npgsql.PostgresErrorCodes.SerializationFailure;

    async Task<int> AttemptsAsync(ClaimedBatch batch, CancellationToken ct) =>
        await db.WorkItems.Where(w => w.BatchId == batch.Id).MaxAsync(w => (int?)w.Attempts, ct) ?? 1;
}
