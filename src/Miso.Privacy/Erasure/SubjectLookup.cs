using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Subjects;

namespace Miso.Privacy.Erasure;

public sealed record CoveringRequest(Guid Id, RequestStatus Status, Regulation Regulation, DateTimeOffset ReceivedAt, DateTimeOffset? CompletedAt)
{
    /// <summary>A delete request covers the subject without suppressing it.</summary>
    public RequestType Type { get; init; }
}

public sealed record SubjectLookupResponse(SubjectKind Kind, string Hash, bool Suppressed, DateTimeOffset? SuppressedSince,
    IReadOnlyList<CoveringRequest> Requests);

/// <summary>Found through the keyed hash, so it works after the raw ids were purged.</summary>
public static class SubjectLookup
{
    public static async Task<Results<Ok<SubjectLookupResponse>, ProblemHttpResult>> Handle(
        string kind, string value, PrivacyDbContext db, SubjectHasher hasher, CancellationToken ct)
    {
        if (SubjectPath.Parse(kind, value) is not ({ } subjectKind, { } subjectValue, null))
            return SubjectPath.Problem(kind, value);
        var hash = hasher.Hash(subjectKind, subjectValue);
        var since = await db.Suppressions.Where(s => s.Hash == hash && s.LiftedAt == null)
            .Select(s => (DateTimeOffset?)s.CreatedAt).FirstOrDefaultAsync(ct);
        var requests = await db.RequestSubjects.Where(s => s.Hash == hash)
            .Join(db.ErasureRequests, s => s.RequestId, r => r.Id, (s, r) => r)
            .OrderByDescending(r => r.Number)
            .Select(r => new CoveringRequest(r.Id, r.Status, r.Regulation, r.ReceivedAt, r.CompletedAt) { Type = r.Type })
            .ToListAsync(ct);
        return TypedResults.Ok(new SubjectLookupResponse(subjectKind, SubjectHasher.ToHex(hash), since is not null, since, requests));
    }
}
