using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Json;
using Miso.Privacy.Infrastructure.Telemetry;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;
using Miso.Privacy.Webhooks;
using Npgsql;

namespace Miso.Privacy.OpenDsr;

/// <summary>
/// §7: an erasure request from a controller. <c>controller_customer_id</c> (raw) is Miso's <c>user_id</c>, and our extension's
/// <c>anonymous_ids</c> its <c>anonymous_id</c>; the regulation and <c>submitted_time</c> start the legal clock, whose due date
/// is the <c>expected_completion_time</c>. The <c>subject_request_id</c> is the idempotency key: sent again with the same
/// request it answers as the first time, with another it is a 409.
/// </summary>
public static class CreateOpenDsrRequest
{
    const int MaxBodyBytes = 4 * 1024 * 1024;

    public static async Task<IResult> Handle(
        HttpContext http, ClaimsPrincipal user, PrivacyDbContext db, SubjectHasher hasher, Deadlines deadlines, TimeProvider clock,
        ProcessorIdentity identity, IOptions<WebhookOptions> webhooks, EnvironmentNames environments, ErasureNotifications notifications, PrivacyMetrics metrics,
        SuppressionPropagation propagation, IntakeWriter intake, CancellationToken ct)
    {
        if (!identity.Enabled)
            return OpenDsrResult.NotEnabled();
        if (http.Request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return OpenDsrResult.Error(StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType", "body: send it as application/json.");
        using var body = await RequestBody.ReadAsync(http, MaxBodyBytes);
        if (body is null)
            return OpenDsrResult.Error(StatusCodes.Status413PayloadTooLarge, "TooLarge", $"body: larger than {MaxBodyBytes} bytes.");
        var (parsed, errors) = OpenDsrRequestReader.Read(body.Memory, identity.Domain!, webhooks.Value.AllowPrivateNetworks);
        if (parsed is null)
            return Invalid(errors);

        var now = clock.GetUtcNow();
        var controller = user.Actor();
        // The ticket is the controller's id for the request, so support finds it by the id the controller shows.
        var (command, problems) = ErasureRequestValidation.Validate(new CreateErasureRequestBody(parsed.UserIds, parsed.AnonymousIds, parsed.Regulation,
            $"opendsr:{controller}", null, parsed.SubjectRequestId.ToString(), parsed.SubmittedTime), now, environments);
        if (problems is not null)
            return Invalid(problems.SelectMany(p => p.Value.Select(m => new OpenDsrErrorDetail("Validation", "InvalidValue", $"{Field(p.Key, identity.Domain!)}: {m}"))));

        var fingerprint = hasher.Fingerprint(JsonSerializer.Serialize(new { command, callbacks = parsed.StatusCallbackUrls }, ApiJson.Options));
        var encoded = Convert.ToBase64String(body.Memory.Span);
        if (await ReplayAsync(db, controller, parsed.SubjectRequestId, fingerprint, encoded, ct) is { } replay)
        {
            await propagation.WaitAsync(ct);
            return replay;
        }
        try
        {
            var (request, _) = await intake.CreateAsync(ErasureRequestStore.Prepare(hasher, deadlines, environments, command!, controller, null,
                fingerprint, now, attach: (db, r) =>
            {
                db.OpenDsrRequests.Add(new OpenDsrRequest { RequestId = r.Id, ControllerId = controller, SubjectRequestId = parsed.SubjectRequestId });
                db.RequestCallbacks.AddRange(parsed.StatusCallbackUrls.Select(url => new RequestCallback
                {
                    RequestId = r.Id, Url = url, Format = OpenDsrCallbacks.FormatName, KeyName = controller, ExternalId = parsed.SubjectRequestId,
                }));
            }));
            notifications.RequestCreated(request.Id);
            metrics.RequestReceived(command!.Regulation, command.Type);
            return Created(controller, request, encoded, parsed.SubjectRequestId);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: OpenDsrRequestConfiguration.UniqueIndex })
        {
            // The same request sent twice at once: the other one won; answer as its replay.
            db.ChangeTracker.Clear();
            await propagation.WaitAsync(ct);
            return await ReplayAsync(db, controller, parsed.SubjectRequestId, fingerprint, encoded, ct)
                ?? throw new InvalidOperationException("Lost an OpenDSR idempotency race without a winner.", e);
        }
    }

    static async Task<IResult?> ReplayAsync(PrivacyDbContext db, string controller, Guid subjectRequestId, byte[] fingerprint, string encoded,
        CancellationToken ct)
    {
        var existing = await db.OpenDsrRequests.AsNoTracking().Where(o => o.ControllerId == controller && o.SubjectRequestId == subjectRequestId)
            .Join(db.ErasureRequests, o => o.RequestId, r => r.Id, (o, r) => r).FirstOrDefaultAsync(ct);
        if (existing is null)
            return null;
        if (!existing.Fingerprint.AsSpan().SequenceEqual(fingerprint))
            return OpenDsrResult.Error(StatusCodes.Status409Conflict, "DuplicateSubjectRequestId",
                "subject_request_id: this controller already filed another request under this id.");
        return Created(controller, existing, encoded, subjectRequestId);
    }

    static OpenDsrResult Created(string controller, ErasureRequest request, string encoded, Guid subjectRequestId) =>
        new(StatusCodes.Status201Created, new OpenDsrCreated(controller, request.DueAt, request.ReceivedAt, encoded, subjectRequestId));

    static OpenDsrResult Invalid(IEnumerable<OpenDsrErrorDetail> errors) =>
        OpenDsrResult.Error(StatusCodes.Status400BadRequest, "The request is not one this processor can accept; see errors.", errors);

    /// <summary>The erasure rules name their own fields; say them in OpenDSR's terms.</summary>
    static string Field(string field, string domain) => field switch
    {
        "user_ids" => "subject_identities",
        "anonymous_ids" => $"extensions.{domain}.anonymous_ids",
        "submitted_at" => "submitted_time",
        "requested_by" => "controller_id",
        "ticket" => "subject_request_id",
        _ => field,
    };
}
