using System.Text.Json;
using Miso.Emulator.Environments;
using Miso.Emulator.Pipeline;
using Miso.Emulator.Schemas;

namespace Miso.Emulator.Engine;

/// <summary>
/// One of Miso's engine APIs, callable on its own route (<c>/v1/{Name}</c>) and as an inner request of
/// <c>/v1/bulk</c> (<c>api_name</c> = <see cref="Name"/>), with the same validation and key rules both ways.
/// </summary>
sealed record EngineRoute(string Name, string RequestSchema, Func<EngineRequest, EngineAnswer> Handle)
{
    public string Path => "/v1/" + Name;

    /// <summary>Requests whose schema carries <c>user_hash</c> must prove their user with it on a publishable key.</summary>
    public bool ChecksUserHash { get; } =
        MisoOpenApi.Instance.Schema(RequestSchema).GetProperty("properties").TryGetProperty("user_hash", out _);

    public EngineAnswer Answer(EnvironmentState environment, bool isSecret, JsonElement body)
    {
        var issues = FastApiBody.Validate(body, RequestSchema);
        if (issues.Count > 0)
            return EngineAnswer.Invalid(issues);
        if (!isSecret && ChecksUserHash && UserHash.Refusal(environment, body) is { } refusal)
            return EngineAnswer.Message(StatusCodes.Status403Forbidden, refusal);
        return Handle(new EngineRequest(environment, Name, body));
    }
}
