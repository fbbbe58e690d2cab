using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.Infrastructure.Json;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Forwarding;

/// <summary>
/// Miso's Interaction Delete API, taken as an erasure request: an SDK user's delete call gets suppression from
/// the moment it returns, an audit trail, and execution by the jobs; all in the key's environment only, as Miso's
/// own call would have acted. A development key must never reach production.
/// </summary>
public static class DeleteInteractions
{
    const int MaxBodyBytes = JsonBody.DefaultLimitBytes;

    public static async Task<Results<JsonHttpResult<MisoMessage>, JsonHttpResult<MisoValidation>>> Handle(
        HttpContext http, MisoKeys keys, PrivacyDbContext db, SubjectHasher hasher, Deadlines deadlines, TimeProvider clock,
        EnvironmentNames environments,
        ErasureNotifications notifications, SuppressionPropagation propagation, CancellationToken ct)
    {
        if (keys.Resolve(http.Request) is not { } key)
            return MisoAnswers.UnknownKey();
        if (!key.IsSecret)
            return MisoAnswers.Message(MisoAnswers.SecretKeyRequired, StatusCodes.Status403Forbidden);

        using var body = await RequestBody.ReadAsync(http, MaxBodyBytes);
        if (body is null)
            return MisoAnswers.TooLarge(MaxBodyBytes);
        var (userIds, issues) = MisoValidation.ReadUserIds(body.Memory);
        if (issues is not null)
            return MisoValidation.Result(issues);

        var now = clock.GetUtcNow();
        var (command, errors) = ErasureRequestValidation.Validate(
            new CreateErasureRequestBody(userIds, null, "other", "miso-api", null, null, null, [key.Environment]), now, environments);
        if (errors is not null)
            return MisoValidation.Result(errors.SelectMany(e => e.Value.Select(message => MisoValidation.Issue(message, "value_error", "body", e.Key))));

        var fingerprint = hasher.Fingerprint(JsonSerializer.Serialize(command, ApiJson.Options));
        var request = await ErasureRequestStore.CreateAsync(db, hasher, deadlines, environments, command!, $"miso-api:{key.Environment}", null,
            fingerprint, now, ct);
        notifications.RequestCreated(request.Id);
        await propagation.WaitAsync(ct);
        http.Response.Headers.Location = $"/api/v1/erasure-requests/{request.Id}";
        return MisoAnswers.Success();
    }
}
