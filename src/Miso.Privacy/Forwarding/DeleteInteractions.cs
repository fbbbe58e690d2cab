using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.Infrastructure.Json;

namespace Miso.Privacy.Forwarding;

/// <summary>Miso's Interaction Delete API, taken as an erasure request (see <see cref="MisoErasures"/>).</summary>
public static class DeleteInteractions
{
    const int MaxBodyBytes = JsonBody.DefaultLimitBytes;

    public static async Task<Results<JsonHttpResult<MisoMessage>, JsonHttpResult<MisoValidation>>> Handle(
        HttpContext http, MisoKeys keys, [AsParameters] MisoErasureServices services, CancellationToken ct)
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

        var (_, refused) = await MisoErasures.CreateAsync(http, key, userIds!, ["body"], services, ct);
        return refused is not null ? MisoValidation.Result(refused) : MisoAnswers.Success();
    }
}
