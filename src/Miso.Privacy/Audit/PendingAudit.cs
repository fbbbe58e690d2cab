using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Miso.Privacy.Infrastructure.Database;
using Npgsql;

namespace Miso.Privacy.Audit;

/// <summary>
/// The audit events of one transaction, collected while it makes its changes and appended together at its end, so that
/// the ledger lock, which every create and every other writer waits for, is held for the chain alone: its details are
/// serialised and the outbox's reads are done before the lock; then one round trip takes the lock and reads the head,
/// the hashes are computed in memory, one statement inserts every event, and the caller saves (the outbox's rows, if
/// any) and commits. The events keep the order they were added in, each with its own actor and time.
/// </summary>
public sealed class PendingAudit
{
    readonly List<UnchainedEvent> _events = [];

    public void Add(string actor, DateTimeOffset now, IEnumerable<AuditEntry> entries)
    {
        var occurredAt = AuditHashing.ToStoredPrecision(now);
        _events.AddRange(entries.Select(e => new UnchainedEvent(actor, occurredAt, e, AuditLog.Details(e))));
    }

    public void Add(string actor, DateTimeOffset now, AuditEntry entry) => Add(actor, now, [entry]);

    /// <summary>Appends the events in the caller's transaction, which then saves (before its commit) and commits.</summary>
    public async Task AppendAsync(PrivacyDbContext db, CancellationToken ct)
    {
        if (_events.Count == 0)
            return;
        var transaction = LedgerLock.Current(db);
        if (LedgerLock.IsHeld(transaction) || HasUnsaved(db))
        {
            // This transaction holds the lock already: its events continue its unsaved ones, through the change tracker.
            db.AuditEvents.AddRange(AuditLog.Chain(await AuditLog.LockAndContinueAsync(db, ct), _events));
            _events.Clear();
            return;
        }
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction)transaction.GetDbTransaction());
        AuditLog.AddLockAndHead(db, batch);
        var entries = _events.Select(e => e.Entry).ToList();
        var companions = new List<IChainCompanionWrite>();
        foreach (var companion in AuditLog.Companions(db))
            if (await companion.PrepareAsync(db, entries, batch, ct) is { } write)
                companions.Add(write);

        ChainLink? head;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            head = await AuditLog.ReadLockAndHeadAsync(db, reader, ct);
            foreach (var companion in companions)
            {
                await reader.NextResultAsync(ct);
                await companion.ReadAsync(reader, ct);
            }
        }
        var events = AuditLog.Chain(head, _events);
        await using (var insert = AuditLog.InsertCommand(db, events))
            await insert.ExecuteNonQueryAsync(ct);
        foreach (var companion in companions)
            companion.Add(db, events);
        _events.Clear();
    }

    static bool HasUnsaved(PrivacyDbContext db)
    {
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return db.ChangeTracker.Entries<AuditEvent>().Any(e => e.State == EntityState.Added);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }
}
