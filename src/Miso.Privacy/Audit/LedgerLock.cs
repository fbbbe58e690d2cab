using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Audit;

/// <summary>
/// One transaction-scoped lock serialises the two things that must never interleave: appending to the
/// audit chain (no forks) and changing suppressions (a cancel must see every committed request that
/// covers the same subject). Held only from the first such write until commit.
/// </summary>
public static class LedgerLock
{
    const long Key = 0x6D69736F_70727631; // "misoprv1"

    public static async Task AcquireAsync(PrivacyDbContext db, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("The ledger lock is transaction-scoped; begin a transaction first.");
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({Key})", ct);
    }
}
