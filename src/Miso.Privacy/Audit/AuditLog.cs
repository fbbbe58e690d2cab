using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Json;

namespace Miso.Privacy.Audit;

public sealed record AuditEntry(string Action, Guid? RequestId = null, byte[]? SubjectHash = null, object? Details = null);

public static class AuditLog
{
    /// <summary>Adds the entries to the chain inside the caller's transaction; they are saved with it.</summary>
    public static async Task AppendAsync(PrivacyDbContext db, string actor, DateTimeOffset now,
        IEnumerable<AuditEntry> entries, CancellationToken ct)
    {
        await LedgerLock.AcquireAsync(db, ct);
        var head = await db.AuditEvents.AsNoTracking()
            .OrderByDescending(e => e.Seq)
            .Select(e => new { e.Seq, e.Hash })
            .FirstOrDefaultAsync(ct);
        // Events appended earlier in this transaction but not saved yet continue the chain.
        var unsaved = db.ChangeTracker.Entries<AuditEvent>().Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity).MaxBy(e => e.Seq);
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
}
