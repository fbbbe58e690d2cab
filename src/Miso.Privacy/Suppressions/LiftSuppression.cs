using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.Infrastructure.Json;
using Miso.Privacy.Subjects;

namespace Miso.Privacy.Suppressions;

public sealed record LiftedSuppression(SubjectKind Kind, string Hash, DateTimeOffset LiftedAt, IReadOnlyList<string> Environments);

/// <summary>For a person who came back with consent: uploads naming them flow to Miso again, in the environments named.</summary>
public static class LiftSuppression
{
    public static async Task<Results<Ok<LiftedSuppression>, ProblemHttpResult>> Handle(
        string kind, string value, HttpRequest http, ClaimsPrincipal user, PrivacyDbContext db, SubjectHasher hasher,
        TimeProvider clock, EnvironmentNames names, SuppressionPropagation propagation, CancellationToken ct)
    {
        if (SubjectPath.Parse(kind, value) is not ({ } subjectKind, { } subjectValue, null))
            return SubjectPath.Problem(kind, value);
        var (body, problem) = await JsonBody.ReadAsync<LiftBody>(http, LiftBody.Expectations);
        if (problem is not null)
            return problem;
        var errors = new ReasonBody(body!.Reason).Validate() ?? [];
        var (environments, unknown) = names.Parse(body.Environments);
        if (unknown is not null)
            errors["environments"] = unknown;
        if (errors.Count > 0)
            return Problems.Fields(errors);

        var hash = hasher.Hash(subjectKind, subjectValue);
        var now = AuditHashing.ToStoredPrecision(clock.GetUtcNow());
        var actor = user.Actor();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LedgerLock.AcquireAsync(db, ct);
        var targets = (environments ?? (await SuppressionQueries.OfAsync(db, hash, names, ct)).Environments)
            .Select(e => new SuppressionTarget(hash, e)).ToList();
        var lifted = (await SuppressionWriter.LiftAsync(db, targets, names.All, actor, body.Reason!, now, ct))
            .Select(t => t.Environment).Order(StringComparer.Ordinal).ToList();
        if (lifted.Count == 0)
            return Problems.Field("value", environments is null
                ? "This subject is not suppressed."
                : "This subject is not suppressed in the environments named.", StatusCodes.Status404NotFound);
        await AuditLog.AppendAsync(db, actor, now,
            new AuditEntry("suppression.lifted", null, hash, new { reason = body.Reason, environments = lifted }), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await propagation.WaitAsync(ct);
        return TypedResults.Ok(new LiftedSuppression(subjectKind, SubjectHasher.ToHex(hash), now, lifted));
    }
}
