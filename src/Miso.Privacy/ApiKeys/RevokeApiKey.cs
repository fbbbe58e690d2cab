using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.ApiKeys;

public static class RevokeApiKey
{
    /// <summary>
    /// 204 once the key is revoked, also when it already was (nothing is written then): the caller's intent holds
    /// either way. Every instance refuses the key within <see cref="KeyDirectory.MaxAge"/> of this answer.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        string id, ClaimsPrincipal user, PrivacyDbContext db, KeyDirectory directory, TimeProvider clock, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var keyId))
            return id.StartsWith(ApiKeyEntry.ConfiguredIdPrefix, StringComparison.Ordinal)
                   && directory.Configured.Any(k => k.Id == id)
                ? Problems.Field("id", "This key is set in the service's configuration (Auth:ApiKeys): remove it there and restart every instance.",
                    StatusCodes.Status409Conflict)
                : NotFound();

        var now = AuditHashing.ToStoredPrecision(clock.GetUtcNow());
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LedgerLock.AcquireAsync(db, ct);
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == keyId, ct);
        if (key is null)
            return NotFound();
        var revoked = await db.ApiKeys.Where(k => k.Id == keyId && k.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(k => k.RevokedAt, now).SetProperty(k => k.RevokedBy, user.Actor()), ct);
        if (revoked == 0)
            return TypedResults.NoContent();
        await AuditLog.AppendAsync(db, user.Actor(), now, new AuditEntry("api_key.revoked", null, null,
            new { id = key.Id, name = key.Name, scopes = key.Scopes, prefix = key.Prefix }), ct);
        await ApiKeyChanges.AnnounceAsync(db, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        directory.Invalidate();
        return TypedResults.NoContent();
    }

    static ProblemHttpResult NotFound() => Problems.Field("id", "No API key has this id.", StatusCodes.Status404NotFound);
}
