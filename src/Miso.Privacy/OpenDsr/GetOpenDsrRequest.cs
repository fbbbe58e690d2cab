using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.OpenDsr;

/// <summary>§8.1–8.3: a controller's request by its own id, signed. Another controller's id is not found (it is not theirs).</summary>
public static class GetOpenDsrRequest
{
    public static async Task<IResult> Handle(string subjectRequestId, ClaimsPrincipal user, PrivacyDbContext db, ProcessorIdentity identity,
        CancellationToken ct)
    {
        if (!identity.Enabled)
            return OpenDsrResult.NotEnabled();
        var (request, problem) = await FindAsync(db, user.Actor(), subjectRequestId, ct);
        if (request is null)
            return problem!;
        var status = SnakeStatus(request.Status);
        return new OpenDsrResult(StatusCodes.Status200OK, new OpenDsrStatusResponse(user.Actor(), request.DueAt, Guid.Parse(subjectRequestId),
            OpenDsrStatus.RequestStatus(status), OpenDsrJson.ApiVersion, OpenDsrStatus.Extensions(identity.Domain!, status)));
    }

    public static string SnakeStatus(RequestStatus status) => SnakeCaseEnumConverter<RequestStatus>.ToText(status);

    public static async Task<(ErasureRequest? Request, IResult? Problem)> FindAsync(PrivacyDbContext db, string controller, string subjectRequestId,
        CancellationToken ct)
    {
        if (!Guid.TryParseExact(subjectRequestId, "D", out var id))
            return (null, OpenDsrResult.Error(StatusCodes.Status400BadRequest, "InvalidValue", "subject_request_id: must be a UUID."));
        var request = await db.OpenDsrRequests.AsNoTracking().Where(o => o.ControllerId == controller && o.SubjectRequestId == id)
            .Join(db.ErasureRequests, o => o.RequestId, r => r.Id, (o, r) => r).FirstOrDefaultAsync(ct);
        return request is not null ? (request, null)
            : (null, OpenDsrResult.Error(StatusCodes.Status404NotFound, "NotFound", "subject_request_id: this controller has no request with this id."));
    }
}
