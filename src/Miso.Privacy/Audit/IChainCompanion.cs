using Miso.Privacy.Infrastructure.Database;
using Npgsql;

namespace Miso.Privacy.Audit;

/// <summary>
/// Writes rows beside the chain's events, in their transaction, whoever appends them (the webhooks' outbox): for an append
/// of <see cref="PendingAudit"/>, which writes its events without EF Core's change tracker, so that a SaveChanges
/// interceptor alone would not see them. An interceptor of the context that implements this is found there.
/// </summary>
public interface IChainCompanion
{
    /// <summary>
    /// Before the ledger lock, once every row of the transaction is written: reads what it needs of the events' requests, and
    /// adds to <paramref name="lockBatch"/> the reads that must see what the previous holder of the lock committed (they run
    /// after the head's read). Null when the events concern it not.
    /// </summary>
    Task<IChainCompanionWrite?> PrepareAsync(PrivacyDbContext db, IReadOnlyList<AuditEntry> entries, NpgsqlBatch lockBatch, CancellationToken ct);
}

public interface IChainCompanionWrite
{
    /// <summary>With <paramref name="reader"/> on the first result of the commands it added to the lock's batch.</summary>
    Task ReadAsync(NpgsqlDataReader reader, CancellationToken ct);

    /// <summary>Adds its rows for the events, as written, to the context: the caller's next SaveChanges, before its commit, writes them.</summary>
    void Add(PrivacyDbContext db, IReadOnlyList<AuditEvent> events);
}
