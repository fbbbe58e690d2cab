using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.Infrastructure.Json;

namespace Miso.Privacy.Forwarding;

/// <summary>Miso's answer to a user delete: the task that deletes them, here the erasure request that does.</summary>
public sealed record MisoDeleted(string Message, MisoTask Data);

public sealed record MisoTask(string TaskId);

/// <summary>
/// Miso's User Delete APIs (<c>POST /v1/users/_delete</c>, <c>DELETE /v1/users/{user_id}</c>), taken as erasure
/// requests (see <see cref="MisoErasures"/>) and answered in Miso's shape, the request's id as the task id.
/// </summary>
public static class DeleteUsers
{
    const int MaxBodyBytes = JsonBody.DefaultLimitBytes;

    public static async Task<Results<JsonHttpResult<MisoDeleted>, JsonHttpResult<MisoMessage>, JsonHttpResult<MisoValidation>>> HandleList(
        HttpContext http, MisoKeys keys, [AsParameters] MisoErasureServices services, CancellationToken ct)
    {
        if (Refusal(http, keys, out var key) is { } refused)
            return refused;

        using var body = await RequestBody.ReadAsync(http, MaxBodyBytes);
        if (body is null)
            return MisoAnswers.TooLarge(MaxBodyBytes);
        var (userIds, issues) = MisoValidation.ReadUserIds(body.Memory, inData: true);
        if (issues is not null)
            return MisoValidation.Result(issues);
        return await CreateAsync(http, key!, userIds!, ["body", "data"], services, ct);
    }

    public static async Task<Results<JsonHttpResult<MisoDeleted>, JsonHttpResult<MisoMessage>, JsonHttpResult<MisoValidation>>> HandleOne(
        HttpContext http, MisoKeys keys, [AsParameters] MisoErasureServices services, CancellationToken ct)
    {
        if (Refusal(http, keys, out var key) is { } refused)
            return refused;
        var userId = RawRoute.Decoded(http, "user_id")!;
        return await CreateAsync(http, key!, [userId], ["path"], services, ct);
    }

    /// <summary>Miso's refusals, given without asking Miso, which must not hear the ids.</summary>
    internal static JsonHttpResult<MisoMessage>? Refusal(HttpContext http, MisoKeys keys, out MisoKey? key)
    {
        key = keys.Resolve(http.Request);
        if (key is null)
            return MisoAnswers.UnknownKey();
        return key.IsSecret ? null : MisoAnswers.Message(MisoAnswers.SecretKeyRequired, StatusCodes.Status403Forbidden);
    }

    static async Task<Results<JsonHttpResult<MisoDeleted>, JsonHttpResult<MisoMessage>, JsonHttpResult<MisoValidation>>> CreateAsync(
        HttpContext http, MisoKey key, IReadOnlyList<string?> userIds, object[] location, MisoErasureServices services, CancellationToken ct)
    {
        var (id, issues) = await MisoErasures.CreateAsync(http, key, userIds, location, services, ct);
        return issues is not null
            ? MisoValidation.Result(issues)
            : TypedResults.Json(new MisoDeleted("deleted", new MisoTask(id!.Value.ToString("N"))));
    }
}
