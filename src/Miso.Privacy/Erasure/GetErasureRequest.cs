using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Erasure;

public static class GetErasureRequest
{
    public static async Task<Results<Ok<ErasureRequestResponse>, ProblemHttpResult>> Handle(
        string id, PrivacyDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var requestId))
            return NotFound(id);
        var request = await db.ErasureRequests.AsNoTracking().Include(r => r.Subjects)
            .AsSplitQuery().FirstOrDefaultAsync(r => r.Id == requestId, ct);
        if (request is null)
            return NotFound(id);
        var timeline = await db.AuditEvents.AsNoTracking().Where(e => e.RequestId == requestId).OrderBy(e => e.Seq).ToListAsync(ct);
        return TypedResults.Ok(request.ToResponse(timeline, clock.GetUtcNow()));
    }

    public static ProblemHttpResult NotFound(string id) =>
        Problems.Field("id", $"No erasure request has the id '{Truncate(id)}'.", StatusCodes.Status404NotFound);

    static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
