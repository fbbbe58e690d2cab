using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Erasure;

public sealed record CoveringRequest(Guid Id, RequestStatus Status, Regulation Regulation, DateTimeOffset ReceivedAt, DateTimeOffset? CompletedAt,
    IReadOnlyList<string> Environments)
{
    /// <summary>A delete request covers the subject without suppressing it.</summary>
    public RequestType Type { get; init; }
}

/// <summary><see cref="Environments"/>: where uploads naming the subject are dropped now (empty when nowhere).</summary>
public sealed record SubjectLookupResponse(SubjectKind Kind, string Hash, bool Suppressed, DateTimeOffset? SuppressedSince,
    IReadOnlyList<string> Environments, IReadOnlyList<CoveringRequest> Requests);

/// <summary>Found through the keyed hash, so it works after the raw ids were purged.</summary>
public static class SubjectLookup
{
    public static async Task<Results<Ok<SubjectLookupResponse>, ProblemHttpResult>> Handle(
        string kind, string value, PrivacyDbContext db, SubjectHasher hasher, EnvironmentNames names, CancellationToken ct)
    {
        if (SubjectPath.Parse(kind, value) is not ({ } subjectKind, { } subjectValue, null))
            return SubjectPath.Problem(kind, value);
        var hash = hasher.Hash(subjectKind, subjectValue);
        var suppression = await SuppressionQueries.OfAsync(db, hash, names, ct);
        var requests = await db.RequestSubjects.Where(s => s.Hash == hash)
            .Join(db.ErasureRequests, s => s.RequestId, r => r.Id, (s, r) => r)
            .OrderByDescending(r => r.Number)
            .Select(r => new { r.Id, r.Status, r.Regulation, r.ReceivedAt, r.CompletedAt, r.Environments, r.Type })
            .ToListAsync(ct);
        return TypedResults.Ok(new SubjectLookupResponse(subjectKind, SubjectHasher.ToHex(hash), suppression.Since is not null,
            suppression.Since, suppression.Environments,
            requests.Select(r => new CoveringRequest(r.Id, r.Status, r.Regulation, r.ReceivedAt, r.CompletedAt, names.Resolve(r.Environments)) { Type = r.Type }).ToList()));
    }
}
