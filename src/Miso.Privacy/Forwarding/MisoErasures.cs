using System.Text.Json;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Json;
using Miso.Privacy.Subjects;

namespace Miso.Privacy.Forwarding;

/// <summary>The services every Miso delete call needs to become an erasure request.</summary>
public sealed record MisoErasureServices(
    SubjectHasher Hasher, Deadlines Deadlines, TimeProvider Clock, EnvironmentNames Environments,
    ErasureNotifications Notifications, IntakeWriter Intake);

/// <summary>
/// Miso's delete calls (<c>DELETE /v1/interactions</c>, <c>POST /v1/users/_delete</c>, <c>DELETE /v1/users/{user_id}</c>)
/// taken as erasure requests: suppression from the moment the call returns, an audit trail, and execution by the
/// jobs; all in the key's environment only, as Miso's own call would have acted. A development key must never
/// reach production.
/// </summary>
public static class MisoErasures
{
    /// <summary>Creates the request and waits for its suppression to reach every instance; null with the issues when the ids are refused.</summary>
    public static async Task<(Guid? RequestId, IEnumerable<MisoValidationIssue>? Issues)> CreateAsync(
        HttpContext http, MisoKey key, IReadOnlyList<string?> userIds, object[] location, MisoErasureServices services, CancellationToken ct)
    {
        var now = services.Clock.GetUtcNow();
        var (command, errors) = ErasureRequestValidation.Validate(
            new CreateErasureRequestBody([.. userIds], null, "other", "miso-api", null, null, null, [key.Environment]), now, services.Environments);
        if (errors is not null)
            return (null, errors.SelectMany(e => e.Value.Select(message => MisoValidation.Issue(message, "value_error", [.. location, e.Key]))));

        var fingerprint = services.Hasher.Fingerprint(JsonSerializer.Serialize(command, ApiJson.Options));
        var (request, _) = await services.Intake.CreateAsync(ErasureRequestStore.Prepare(services.Hasher, services.Deadlines, services.Environments,
            command!, $"miso-api:{key.Environment}", null, fingerprint, now));
        services.Notifications.RequestCreated(request.Id);
        http.Response.Headers.Location = $"/api/v1/erasure-requests/{request.Id}";
        return (request.Id, null);
    }
}
