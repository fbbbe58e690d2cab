using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Json;
using Npgsql;
using NpgsqlTypes;

namespace Miso.Privacy.Audit;

public sealed record AuditEntry(string Action, Guid? RequestId = null, byte[]? SubjectHash = null, object? Details = null);

public static class AuditLog
{
    const string HeadSql = "SELECT seq, hash FROM privacy.audit_events ORDER BY seq DESC LIMIT 1";

    /// <summary>Adds the entries to the chain inside the caller's transaction; they are saved with it.</summary>
    public static async Task AppendAsync(PrivacyDbContext db, string actor, DateTimeOffset now,
        IEnumerable<AuditEntry> entries, CancellationToken ct) =>
        Append(db, await LockAndContinueAsync(db, ct), actor, now, entries);

    /// <summary>The link the next event of this transaction continues from: its last unsaved event, or the chain's head read under the lock.</summary>
    internal static async Task<ChainLink?> LockAndContinueAsync(PrivacyDbContext db, CancellationToken ct)
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
        return unsaved is not null ? new ChainLink(unsaved.Seq, unsaved.Hash) : head;
    }

    /// <summary>
    /// Adds the entries after <paramref name="head"/>, which the caller read under the ledger lock in this transaction
    /// (<see cref="AddLockAndHead"/>) and carried on from its earlier appends; returns the new head. For a writer that
    /// appends for many actors in one transaction, without a scan of the change tracker per append.
    /// </summary>
    public static ChainLink? Append(PrivacyDbContext db, ChainLink? head, string actor, DateTimeOffset now, IEnumerable<AuditEntry> entries)
    {
        var occurredAt = AuditHashing.ToStoredPrecision(now);
        var events = Chain(head, entries.Select(e => new UnchainedEvent(actor, occurredAt, e, Details(e))));
        db.AuditEvents.AddRange(events);
        return events.Count == 0 ? head : new ChainLink(events[^1].Seq, events[^1].Hash);
    }

    /// <summary>The events after <paramref name="head"/>, in the order given: the only work on them that needs the chain's head.</summary>
    internal static List<AuditEvent> Chain(ChainLink? head, IEnumerable<UnchainedEvent> unchained)
    {
        var seq = head?.Seq ?? 0;
        var prev = head?.Hash ?? AuditHashing.Genesis;
        var events = new List<AuditEvent>();
        foreach (var (actor, occurredAt, entry, details) in unchained)
        {
            seq++;
            var hash = AuditHashing.Compute(prev, seq, occurredAt, actor, entry.Action, entry.RequestId, entry.SubjectHash, details);
            events.Add(new AuditEvent
            {
                Seq = seq, OccurredAt = occurredAt, Actor = actor, Action = entry.Action, RequestId = entry.RequestId,
                SubjectHash = entry.SubjectHash, Details = details, PrevHash = prev, Hash = hash,
            });
            prev = hash;
        }
        return events;
    }

    internal static string Details(AuditEntry entry) => JsonSerializer.Serialize(entry.Details ?? new { }, ApiJson.Options);

    /// <summary>
    /// Every event in one statement, sent after the lock and head's round trip: EF Core's insert of hundreds of events, one
    /// command each, was CPU spent while every other writer waited for the lock.
    /// </summary>
    internal static NpgsqlCommand InsertCommand(PrivacyDbContext db, IReadOnlyList<AuditEvent> events)
    {
        var command = new NpgsqlCommand("""
            INSERT INTO privacy.audit_events (seq, occurred_at, actor, action, request_id, subject_hash, details, prev_hash, hash)
            SELECT e.seq, e.occurred_at, e.actor, e.action, e.request_id, e.subject_hash, e.details::jsonb, e.prev_hash, e.hash
            FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9) AS e(seq, occurred_at, actor, action, request_id, subject_hash, details, prev_hash, hash)
            """, (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)LedgerLock.Current(db).GetDbTransaction());
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. events.Select(e => e.Seq)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. events.Select(e => e.OccurredAt)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(e => e.Actor)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(e => e.Action)] });
        command.Parameters.Add(new NpgsqlParameter<Guid?[]> { TypedValue = [.. events.Select(e => e.RequestId)] });
        command.Parameters.Add(new NpgsqlParameter<byte[]?[]> { TypedValue = [.. events.Select(e => e.SubjectHash)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(e => e.Details)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. events.Select(e => e.PrevHash)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. events.Select(e => e.Hash)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        return command;
    }

    /// <summary>What writes rows beside the events (the webhooks' outbox), found among the context's interceptors, where it is registered once for every SaveChanges.</summary>
    internal static List<IChainCompanion> Companions(PrivacyDbContext db) =>
        [.. db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<IChainCompanion>() ?? []];

    public static Task AppendAsync(PrivacyDbContext db, string actor, DateTimeOffset now, AuditEntry entry, CancellationToken ct) =>
        AppendAsync(db, actor, now, [entry], ct);

    /// <summary>
    /// The chain's head, read under the ledger lock; the lock and the read go in one round trip when the transaction
    /// does not hold the lock yet. They are two statements of one batch, so the read's snapshot is taken after the lock
    /// is granted (read committed: one snapshot per statement) and sees the head the previous holder committed.
    /// </summary>
    static async Task<ChainLink?> LockAndReadHeadAsync(PrivacyDbContext db, CancellationToken ct)
    {
        var transaction = LedgerLock.Current(db);
        var locked = LedgerLock.IsHeld(transaction);
        await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
        if (!locked)
            batch.BatchCommands.Add(new NpgsqlBatchCommand(LedgerLock.Sql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(HeadSql));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!locked)
            await reader.NextResultAsync(ct);
        var head = await ReadHeadAsync(reader, ct);
        LedgerLock.Held(transaction);
        return head;
    }

    /// <summary>
    /// Adds the ledger lock and the chain-head read to a caller's batch in the transaction of <paramref name="db"/>, which
    /// must not hold the lock yet: commands added before them run before the lock is asked for, commands added after
    /// them run under it, all in one round trip. Read the two results with <see cref="ReadLockAndHeadAsync"/>.
    /// </summary>
    public static void AddLockAndHead(PrivacyDbContext db, NpgsqlBatch batch)
    {
        if (LedgerLock.IsHeld(LedgerLock.Current(db)))
            throw new InvalidOperationException("This transaction holds the ledger lock already; its head may be unsaved events.");
        batch.BatchCommands.Add(new NpgsqlBatchCommand(LedgerLock.Sql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(HeadSql));
    }

    /// <summary>With <paramref name="reader"/> on the lock's result: moves past the head's and returns the head.</summary>
    public static async Task<ChainLink?> ReadLockAndHeadAsync(PrivacyDbContext db, NpgsqlDataReader reader, CancellationToken ct)
    {
        await reader.NextResultAsync(ct);
        var head = await ReadHeadAsync(reader, ct);
        LedgerLock.Held(LedgerLock.Current(db));
        return head;
    }

    static async Task<ChainLink?> ReadHeadAsync(NpgsqlDataReader reader, CancellationToken ct) =>
        await reader.ReadAsync(ct) ? new ChainLink(reader.GetInt64(0), (byte[])reader.GetValue(1)) : null;
}

/// <summary>An event before the ledger lock: all but its place in the chain, its details serialised already.</summary>
readonly record struct UnchainedEvent(string Actor, DateTimeOffset OccurredAt, AuditEntry Entry, string Details);

/// <summary>The last event of the chain as the writer holding the ledger lock sees it: its sequence number and raw hash, what the next event continues from.</summary>
public readonly record struct ChainLink(long Seq, byte[] Hash);
