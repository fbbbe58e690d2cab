using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.Infrastructure.Json;
using Npgsql;

namespace Miso.Privacy.ApiKeys;

public static class CreateApiKey
{
    public static async Task<Results<Created<CreatedApiKey>, ProblemHttpResult>> Handle(
        HttpRequest http, ClaimsPrincipal user, PrivacyDbContext db, KeyDirectory directory, TimeProvider clock, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateApiKeyBody>(http, CreateApiKeyBody.Expectations, 16 * 1024);
        if (problem is not null)
            return problem;
        var now = AuditHashing.ToStoredPrecision(clock.GetUtcNow());
        var (key, errors) = ApiKeyRules.Validate(body!, now);
        if (errors is not null)
            return Problems.Fields(errors);
        // Only admin keys get here; the rule still holds for an admin key that lacks another scope.
        if (key!.Scopes.Where(s => !user.HasClaim(Scopes.ClaimType, s)).ToArray() is { Length: > 0 } lacking)
            return Problems.Field("scopes", $"This API key does not hold {string.Join(", ", lacking)}, so it cannot grant it.", StatusCodes.Status403Forbidden);
        if (directory.ConfiguredNamed(key.Name) is not null)
            return NameTaken();

        var (value, sha256, prefix) = KeyFormat.Generate();
        var stored = new ApiKey
        {
            Id = Guid.CreateVersion7(), Name = key.Name, Scopes = key.Scopes, Prefix = prefix, KeySha256 = sha256,
            CreatedAt = now, CreatedBy = user.Actor(), ExpiresAt = key.ExpiresAt is { } at ? AuditHashing.ToStoredPrecision(at) : null,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The ledger lock serialises key changes with each other (and with audit appends), so the name check holds until commit.
        await LedgerLock.AcquireAsync(db, ct);
        if (await db.ApiKeys.AnyAsync(k => k.Name == key.Name, ct))
            return NameTaken();
        db.ApiKeys.Add(stored);
        await AuditLog.AppendAsync(db, user.Actor(), now, new AuditEntry("api_key.created", null, null,
            new { id = stored.Id, name = stored.Name, scopes = stored.Scopes, prefix, expires_at = stored.ExpiresAt }), ct);
        await ApiKeyChanges.AnnounceAsync(db, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ix_api_keys_name" })
        {
            return NameTaken();
        }
        await transaction.CommitAsync(ct);
        directory.Invalidate();
        return TypedResults.Created((string?)null,
            new CreatedApiKey(stored.Id, stored.Name, stored.Scopes, prefix, now, stored.ExpiresAt, value));
    }

    static ProblemHttpResult NameTaken() =>
        Problems.Field("name", "A key with this name exists or existed (names are audit actors and never reused), or is configured.",
            StatusCodes.Status409Conflict);
}
