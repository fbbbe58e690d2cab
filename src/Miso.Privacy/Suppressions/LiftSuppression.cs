using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.Infrastructure.Json;
using Miso.Privacy.Subjects;

namespace Miso.Privacy.Suppressions;

public sealed record LiftedSuppression(SubjectKind Kind, string Hash, DateTimeOffset LiftedAt);

/// <summary>For a person who came back with consent: uploads naming them flow to Miso again.</summary>
public static class LiftSuppression
{
    public static async Task<Results<Ok<LiftedSuppression>, ProblemHttpResult>> Handle(
        string kind, string value, HttpRequest http, ClaimsPrincipal user, PrivacyDbContext db, SubjectHasher hasher,
        TimeProvider clock, SuppressionPropagation propagation, CancellationToken ct)
    {
        if (SubjectPath.Parse(kind, value) is not ({ } subjectKind, { } subjectValue, null))
            return SubjectPath.Problem(kind, value);
        var (body, problem) = await JsonBody.ReadAsync<ReasonBody>(http, ReasonBody.Expectations);
        if (problem is not null)
            return problem;
        if (body!.Validate() is { } errors)
            return Problems.Fields(errors);

        var hash = hasher.Hash(subjectKind, subjectValue);
        var now = AuditHashing.ToStoredPrecision(clock.GetUtcNow());
        var actor = user.Actor();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LedgerLock.AcquireAsync(db, ct);
        var lifted = await SuppressionWriter.LiftAsync(db, [hash], actor, body.Reason!, now, ct);
        if (lifted.Count == 0)
            return Problems.Field("value", "This subject is not suppressed.", StatusCodes.Status404NotFound);
        await AuditLog.AppendAsync(db, actor, now, new AuditEntry("suppression.lifted", null, hash, new { reason = body.Reason }), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await propagation.WaitAsync(ct);
        return TypedResults.Ok(new LiftedSuppression(subjectKind, SubjectHasher.ToHex(hash), now));
    }
}
