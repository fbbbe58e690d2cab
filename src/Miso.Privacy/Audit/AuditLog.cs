using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Json;
using Npgsql;

namespace Miso.Privacy.Audit;

public sealed record AuditEntry(string Action, Guid? RequestId = null, byte[]? SubjectHash = null, object? Details = null);

public static class AuditLog
{
    const string HeadSql = "SELECT seq, hash FROM privacy.audit_events ORDER BY seq DESC LIMIT 1";

    /// <summary>Adds the entries to the chain inside the caller's transaction; they are saved with it.</summary>
    public static async Task AppendAsync(PrivacyDbContext db, string actor, DateTimeOffset now,
        IEnumerable<AuditEntry> entries, CancellationToken ct)
    {
        var head = await LockAndReadHeadAsync(db, ct);
        // Events appended earlier in this transaction but not saved yet continue the chain. Added entities are
        // tracked from Add on, so this needs no DetectChanges: a scan of every tracked entity per append, which made
        // a transaction appending for many requests (a group commit) quadratic.
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        AuditEvent? unsaved;
        try
        {
            unsaved = db.ChangeTracker.Entries<AuditEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).MaxBy(e => e.Seq);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
        var seq = unsaved?.Seq ?? head?.Seq ?? 0;
        var prev = unsaved?.Hash ?? head?.Hash ?? AuditHashing.Genesis;
        var occurredAt = AuditHashing.ToStoredPrecision(now);
        foreach (var entry in entries)
        {
            seq++;
            var details = JsonSerializer.Serialize(entry.Details ?? new { }, ApiJson.Options);
            var hash = AuditHashing.Compute(prev, seq, occurredAt, actor, entry.Action, entry.RequestId, entry.SubjectHash, details);
            db.AuditEvents.Add(new AuditEvent
            {
                Seq = seq, OccurredAt = occurredAt, Actor = actor, Action = entry.Action, RequestId = entry.RequestId,
                SubjectHash = entry.SubjectHash, Details = details, PrevHash = prev, Hash = hash,
            });
            prev = hash;
        }
    }

    public static Task AppendAsync(PrivacyDbContext db, string actor, DateTimeOffset now, AuditEntry entry, CancellationToken ct) =>
        AppendAsync(db, actor, now, [entry], ct);

    /// <summary>
    /// The chain's head, read under the ledger lock; the lock and the read go in one round trip when the transaction
    /// does not hold the lock yet. They are two statements of one batch, so the read's snapshot is taken after the lock
    /// is granted (read committed: one snapshot per statement) and sees the head the previous holder committed.
    /// </summary>
    static async Task<(long Seq, byte[] Hash)?> LockAndReadHeadAsync(PrivacyDbContext db, CancellationToken ct)
    {
        var transaction = LedgerLock.Current(db);
        var locked = LedgerLock.IsHeld(transaction);
        await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
        if (!locked)
            batch.BatchCommands.Add(new NpgsqlBatchCommand(LedgerLock.Sql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(HeadSql));
        (long, byte[])? head = null;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            if (!locked)
                await reader.NextResultAsync(ct);
            if (await reader.ReadAsync(ct))
                head = (reader.GetInt64(0), (byte[])reader.GetValue(1));
        }
        LedgerLock.Held(transaction);
        return head;
    }
}
