using System.Threading.Channels;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;
using Npgsql;

namespace Miso.Privacy.Erasure;

/// <summary>A request as its create committed it, with the audit events that create appended.</summary>
public sealed record CreatedRequest(ErasureRequest Request, IReadOnlyList<AuditEvent> Timeline);

/// <summary>
/// Group commit for creates. Creates are serialised by the ledger lock (one hash chain, suppressions in version
/// order), so one transaction per create caps intake at one create per lock holding, a few round trips long. Here
/// every create waiting when the writer is free goes into one transaction: one lock, one chain-head read, one
/// suppression statement and one commit for all of them. Each caller is answered when that commit is done and the
/// batch's suppressions have reached every instance (<see cref="SuppressionPropagation"/>), exactly as it was with a
/// transaction of its own; a kill before the commit loses the whole batch, none of which has been answered.
/// A batch that fails is written again one create at a time, so one create's failure (its idempotency key taken
/// meanwhile) is its own alone.
/// </summary>
public sealed partial class IntakeWriter : IAsyncDisposable
{
    // Enough to amortise a holding of the lock over every waiting caller, small enough that one batch's
    // transaction stays short for the drain and the other writers waiting on the same lock.
    const int MaxCreates = 256;
    const int MaxSubjects = 20_000;

    // Two writers: while one holds the ledger lock, the other sends its batch's rows and queues for the lock, so the
    // rows' round trip is not spent holding it.
    const int Writers = 2;

    readonly Channel<Waiting> _queue = Channel.CreateUnbounded<Waiting>();
    readonly IServiceScopeFactory _scopes;
    readonly SubjectHasher _hasher;
    readonly SuppressionPropagation _propagation;
    readonly ILogger<IntakeWriter> _logger;
    readonly Task[] _loops;

    public IntakeWriter(IServiceScopeFactory scopes, SubjectHasher hasher, SuppressionPropagation propagation, ILogger<IntakeWriter> logger)
    {
        (_scopes, _hasher, _propagation, _logger) = (scopes, hasher, propagation, logger);
        _loops = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>Writes the create with whichever others are waiting; returns once it is committed and in force everywhere.</summary>
    public async Task<CreatedRequest> CreateAsync(PreparedCreate create)
    {
        var waiting = new Waiting(create);
        if (!_queue.Writer.TryWrite(waiting))
            throw new ObjectDisposedException(nameof(IntakeWriter));
        return await waiting.Done.Task;
    }

    async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            // A new list each time: the batch's answers may still be on their way when the next one is read.
            var batch = new List<Waiting>();
            var subjects = 0;
            while (batch.Count < MaxCreates && subjects < MaxSubjects && reader.TryRead(out var waiting))
            {
                batch.Add(waiting);
                subjects += waiting.Create.SubjectCount;
            }
            // The other writer may have taken everything this one was woken for.
            if (batch.Count > 0)
                await WriteAsync(batch);
        }
    }

    async Task WriteAsync(List<Waiting> batch)
    {
        try
        {
            await WriteTogetherAsync(batch);
        }
        catch (Exception e) when (batch.Count > 1 && RolledBack(e))
        {
            LogBatchFailed(batch.Count, e.GetType().Name);
            foreach (var waiting in batch)
            {
                try
                {
                    await WriteTogetherAsync([waiting]);
                }
                catch (Exception alone)
                {
                    waiting.Done.TrySetException(alone);
                }
            }
        }
        catch (Exception e)
        {
            foreach (var waiting in batch)
                waiting.Done.TrySetException(e);
        }
    }

    /// <summary>
    /// PostgreSQL refused a statement, so the transaction did not commit and its creates may be written again. A
    /// connection lost on the way may have lost it after the commit: those creates fail to their callers, as a
    /// create of their own would have, and are not written twice.
    /// </summary>
    static bool RolledBack(Exception e) => (e as PostgresException ?? e.InnerException as PostgresException) is not null;

    async Task WriteTogetherAsync(IReadOnlyList<Waiting> batch)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrivacyDbContext>();
        // The batch only adds entities, which EF Core tracks from Add on; DetectChanges would compare every property
        // of every tracked entity at each SaveChanges and read, work that grows with the batch and finds nothing.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var (requests, version) = await ErasureRequestStore.WriteAsync(db, _hasher, [.. batch.Select(w => w.Create)], CancellationToken.None);
        // Built from what the transaction wrote, not read back: once committed, the answer must not depend on the
        // database still being there.
        var timelines = db.ChangeTracker.Entries<AuditEvent>().Select(e => e.Entity).OrderBy(e => e.Seq).ToLookup(e => e.RequestId);
        // The wait for the other instances runs beside the next batch: this writer is free as soon as it committed.
        _ = AnswerAsync(batch, [.. requests.Select(r => new CreatedRequest(r, [.. timelines[r.Id]]))], version);
    }

    /// <summary>Committed: never written again, whatever happens here.</summary>
    async Task AnswerAsync(IReadOnlyList<Waiting> batch, IReadOnlyList<CreatedRequest> created, long? suppressionVersion)
    {
        try
        {
            await _propagation.WaitAsync(suppressionVersion, CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
                batch[i].Done.TrySetResult(created[i]);
        }
        catch (Exception e)
        {
            foreach (var waiting in batch)
                waiting.Done.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    sealed record Waiting(PreparedCreate Create)
    {
        public TaskCompletionSource<CreatedRequest> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(LogLevel.Warning, "A batch of {Creates} creates failed ({Error}); writing them one at a time")]
    partial void LogBatchFailed(int creates, string error);
}
