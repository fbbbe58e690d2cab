using static Miso.Privacy.Infrastructure.Database.TableAccess;

namespace Miso.Privacy.Infrastructure.Database;

/// <summary>The row operations a table grant may hold. There is no TRUNCATE, REFERENCES or TRIGGER on purpose.</summary>
[Flags]
public enum TableAccess
{
    None = 0,
    Select = 1,
    Insert = 2,
    Update = 4,
    Delete = 8,
}

/// <summary>
/// Everything the service's own database role may do, table by table: its whole authority in PostgreSQL. The owner
/// runs migrations and owns every object; the service only reads and writes rows, as listed here. The migration runner
/// applies this list at every run, and refuses to finish while a table in schema privacy has no line (a new table
/// needs one, <see cref="None"/> being a decision too).
/// </summary>
public static class ServiceGrants
{
    public static readonly IReadOnlyDictionary<string, TableAccess> Privacy = new Dictionary<string, TableAccess>
    {
        // The evidence: read it and add to it, nothing else. The chain's hashes would show an edit; this refuses one.
        ["audit_events"] = Select | Insert,
        ["erasure_requests"] = Select | Insert | Update,
        ["request_subjects"] = Select | Insert | Update,
        ["suppressions"] = Select | Insert | Update,
        ["suppression_state"] = Select | Update,
        ["work_items"] = Select | Insert | Update,
        ["miso_rate_gates"] = Select | Insert | Update,
        ["miso_rate_grants"] = Select | Insert | Update | Delete,
        ["forwarder_leases"] = Select | Insert | Update | Delete,
        // Created keys: revoked and last used are updates; a key row is never deleted, so its audit trail keeps meaning.
        ["api_keys"] = Select | Insert | Update,
        // Webhooks: a deleted endpoint is marked, not removed, so its deliveries stay readable; a callback secret is replaced in place.
        ["webhooks"] = Select | Insert | Update,
        ["callback_secrets"] = Select | Insert | Update,
        // Where one request's callbacks go, and which OpenDSR request it is: written with the request, never changed.
        ["request_callbacks"] = Select | Insert,
        ["opendsr_requests"] = Select | Insert,
        // The outbox: claimed, retried and settled in place; attempts are only appended.
        ["webhook_deliveries"] = Select | Insert | Update,
        ["webhook_attempts"] = Select | Insert,
        // Sweeps are scheduled, claimed and settled like work items; a sweep's row is its record, never deleted.
        ["request_sweeps"] = Select | Insert | Update,
        ["sweep_items"] = Select | Insert | Update,
        // Blocked-record counts: added to by the flush (an upsert), never deleted.
        ["blocked_uploads"] = Select | Insert | Update,
        // A restore replay is written once and read back; it is part of the evidence of what was swept.
        ["sweep_replays"] = Select | Insert,
        // The dashboard's counters: triggers running as the service append deltas; the compaction (also the service) deletes
        // the deltas it folds and upserts the totals. Nothing else writes either.
        ["summary_counter_deltas"] = Select | Insert | Delete,
        ["summary_counters"] = Select | Insert | Update,
        // Readiness compares the applied migrations with the one this build needs.
        ["__ef_migrations_history"] = Select,
    };

    /// <summary>
    /// Hangfire's schema is Hangfire's: its tables change with its versions, and its queues, locks and expiry need row
    /// access to all of them. Its version table is only read.
    /// </summary>
    public const TableAccess Hangfire = Select | Insert | Update | Delete;

    public const string HangfireVersionTable = "schema";

    public static string Sql(TableAccess access) =>
        string.Join(", ", Enum.GetValues<TableAccess>().Where(a => a != None && access.HasFlag(a)).Select(a => a.ToString().ToUpperInvariant()));
}
