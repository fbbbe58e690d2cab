using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Webhooks;

/// <summary>
/// Makes the calling key's callback secret, which signs the deliveries to the <c>callback_url</c>s of the requests it files,
/// and shows it this once. Calling again makes a new one and the old one stops signing (rotation). Each key gets its own:
/// a caller verifies what concerns its own requests, and no key can read or replace another's.
/// </summary>
public static class CreateCallbackSecret
{
    public static async Task<Created<CreatedCallbackSecret>> Handle(
        ClaimsPrincipal user, PrivacyDbContext db, SecretBox secrets, TimeProvider clock, CancellationToken ct)
    {
        var now = AuditHashing.ToStoredPrecision(clock.GetUtcNow());
        var keyName = user.Actor();
        var (shown, key) = WebhookSignature.NewSecret();
        var sealedSecret = secrets.Seal(key, SecretBox.CallbackOwner(keyName));
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The ledger lock serialises two calls by one key, so the one that commits last is the one whose secret signs.
        await LedgerLock.AcquireAsync(db, ct);
        var replaced = await db.CallbackSecrets.Where(s => s.KeyName == keyName)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.SealedSecret, sealedSecret).SetProperty(s => s.CreatedAt, now), ct) > 0;
        if (!replaced)
            db.CallbackSecrets.Add(new CallbackSecret { KeyName = keyName, SealedSecret = sealedSecret, CreatedAt = now });
        await AuditLog.AppendAsync(db, keyName, now, new AuditEntry("callback_secret.created", null, null, new { key_name = keyName, replaced }), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created((string?)null, new CreatedCallbackSecret(keyName, shown, now));
    }
}
