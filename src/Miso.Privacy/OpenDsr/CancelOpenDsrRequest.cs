using System.Security.Claims;
using Miso.Privacy.Audit;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.OpenDsr;

/// <summary>§9: a controller cancels its request while it is pending (202); once work has started, 409.</summary>
public static class CancelOpenDsrRequest
{
    public const string Reason = "cancelled by the controller through OpenDSR";

    public static async Task<IResult> Handle(string subjectRequestId, ClaimsPrincipal user, PrivacyDbContext db, ProcessorIdentity identity,
        TimeProvider clock, EnvironmentNames names, SuppressionPropagation propagation, CancellationToken ct)
    {
        if (!identity.Enabled)
            return OpenDsrResult.NotEnabled();
        var controller = user.Actor();
        var (request, problem) = await GetOpenDsrRequest.FindAsync(db, controller, subjectRequestId, ct);
        if (request is null)
            return problem!;
        var now = AuditHashing.ToStoredPrecision(clock.GetUtcNow());
        if (await CancelErasureRequest.CancelAsync(db, names, request.Id, Reason, controller, now, ct) is null)
        {
            var (current, _) = await GetOpenDsrRequest.FindAsync(db, controller, subjectRequestId, ct);
            var status = current is null ? "gone" : OpenDsrStatus.RequestStatus(GetOpenDsrRequest.SnakeStatus(current.Status));
            return OpenDsrResult.Error(StatusCodes.Status409Conflict, "NotPending",
                $"subject_request_id: only a pending request can be cancelled (§9); this one is {status}.");
        }
        await propagation.WaitAsync(ct);
        return new OpenDsrResult(StatusCodes.Status202Accepted, new OpenDsrCancelled(controller, now, Guid.Parse(subjectRequestId), OpenDsrJson.ApiVersion));
    }
}
