using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Erasure;

public static class StatusConflict
{
    /// <summary>Why a conditional status change matched no row: no such request (404), or it is in another status (409).</summary>
    public static async Task<ProblemHttpResult> ExplainAsync(PrivacyDbContext db, string id, Guid requestId, string rule, CancellationToken ct)
    {
        var status = await db.ErasureRequests.Where(r => r.Id == requestId).Select(r => (RequestStatus?)r.Status).FirstOrDefaultAsync(ct);
        return status is null
            ? GetErasureRequest.NotFound(id)
            : Problems.Field("status", $"{rule}; this one is {SnakeCaseEnumConverter<RequestStatus>.ToText(status.Value)}.",
                StatusCodes.Status409Conflict);
    }
}
