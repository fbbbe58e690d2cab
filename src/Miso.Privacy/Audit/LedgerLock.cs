using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Audit;

/// <summary>
/// One transaction-scoped lock serialises the two things that must never interleave: appending to the
/// audit chain (no forks) and changing suppressions (a cancel must see every committed request that
/// covers the same subject). Held only from the first such write until commit.
/// </summary>
public static class LedgerLock
{
    internal const long Key = 0x6D69736F_70727631; // "misoprv1"

    internal static readonly string Sql = FormattableString.Invariant($"SELECT pg_advisory_xact_lock({Key})");

    // The transactions (EF Core's, one object per BeginTransaction) known to hold the lock already: asking again
    // would cost a round trip while every other writer waits. Weak, so a finished transaction leaves nothing behind.
    static readonly ConditionalWeakTable<IDbContextTransaction, object> Holders = [];
    static readonly object Marker = new();

    public static async Task AcquireAsync(PrivacyDbContext db, CancellationToken ct)
    {
        var transaction = Current(db);
        if (IsHeld(transaction))
            return;
        await db.Database.ExecuteSqlRawAsync(Sql, ct);
        Held(transaction);
    }

    internal static IDbContextTransaction Current(PrivacyDbContext db) => db.Database.CurrentTransaction
        ?? throw new InvalidOperationException("The ledger lock is transaction-scoped; begin a transaction first.");

    internal static bool IsHeld(IDbContextTransaction transaction) => Holders.TryGetValue(transaction, out _);

    internal static void Held(IDbContextTransaction transaction) => Holders.AddOrUpdate(transaction, Marker);
}
