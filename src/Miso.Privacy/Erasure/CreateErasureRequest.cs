using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.Infrastructure.Json;
using Miso.Privacy.Infrastructure.Telemetry;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;
using Miso.Privacy.Webhooks;
using Npgsql;

namespace Miso.Privacy.Erasure;

public static class CreateErasureRequest
{
    public static async Task<Results<Created<ErasureRequestResponse>, Ok<ErasureRequestResponse>, ProblemHttpResult>> Handle(
        HttpRequest http, ClaimsPrincipal user, PrivacyDbContext db, SubjectHasher hasher, Deadlines deadlines, TimeProvider clock,
        EnvironmentNames environments, ErasureNotifications notifications, PrivacyMetrics metrics, SuppressionPropagation propagation,
        CallbackRules callbacks, IntakeWriter intake, CancellationToken ct)
    {
        var idempotencyKey = http.Headers["Idempotency-Key"].ToString() is { Length: > 0 } key ? key : null;
        if (idempotencyKey is { Length: > 255 } || idempotencyKey?.Any(c => c < 0x21 || c > 0x7e) == true)
            return Problems.Field("Idempotency-Key", "At most 255 printable ASCII characters without spaces.");

        var (body, problem) = await JsonBody.ReadAsync<CreateErasureRequestBody>(http, CreateErasureRequestBody.Expectations);
        if (problem is not null)
            return problem;
        var now = clock.GetUtcNow();
        var (command, errors) = ErasureRequestValidation.Validate(body!, now, environments);
        if (errors is not null)
            return Problems.Fields(errors);

        var actor = user.Actor();
        if (command!.CallbackUrl is { } callbackUrl && await callbacks.CheckAsync(db, callbackUrl, actor, ct) is { } refused)
            return refused;
        var fingerprint = hasher.Fingerprint(JsonSerializer.Serialize(command, ApiJson.Options));
        if (idempotencyKey is not null && await ReplayAsync(db, environments, actor, idempotencyKey, fingerprint, now, ct) is { } replay)
        {
            // The first call may have died before its wait; the replay's answer carries the same promise.
            await propagation.WaitAsync(ct);
            return replay;
        }

        try
        {
            // Committed, and its suppressions in force on every instance, when this returns.
            var (request, timeline) = await intake.CreateAsync(
                ErasureRequestStore.Prepare(hasher, deadlines, environments, command!, actor, idempotencyKey, fingerprint, now));
            notifications.RequestCreated(request.Id);
            metrics.RequestReceived(command!.Regulation, command.Type);
            if (request.CompletedAt is { } completedAt)
                metrics.RequestCompleted(request.Regulation, request.Type, ResponseClock.IsLate(completedAt, request.DueAt));
            return TypedResults.Created($"/api/v1/erasure-requests/{request.Id}", request.ToResponse(timeline, now, environments));
        }
        catch (DbUpdateException e) when (idempotencyKey is not null && e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another call with the same key won the race; answer as its replay.
            db.ChangeTracker.Clear();
            await propagation.WaitAsync(ct);
            return await ReplayAsync(db, environments, actor, idempotencyKey, fingerprint, now, ct) ?? throw new InvalidOperationException("Lost idempotency race without a winner.", e);
        }
    }

    static async Task<Results<Created<ErasureRequestResponse>, Ok<ErasureRequestResponse>, ProblemHttpResult>?> ReplayAsync(
        PrivacyDbContext db, EnvironmentNames environments, string actor, string idempotencyKey, byte[] fingerprint, DateTimeOffset now,
        CancellationToken ct)
    {
        var existing = await db.ErasureRequests.AsNoTracking().Include(r => r.Subjects)
            .FirstOrDefaultAsync(r => r.CreatedBy == actor && r.IdempotencyKey == idempotencyKey, ct);
        if (existing is null)
            return null;
        if (!existing.Fingerprint.AsSpan().SequenceEqual(fingerprint))
            return Problems.Field("Idempotency-Key", "This key was already used with a different body.", StatusCodes.Status409Conflict);
        var timeline = await db.AuditEvents.AsNoTracking().Where(e => e.RequestId == existing.Id).OrderBy(e => e.Seq).ToListAsync(ct);
        return TypedResults.Ok(existing.ToResponse(timeline, now, environments));
    }
}
