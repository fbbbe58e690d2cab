using Microsoft.AspNetCore.Http.HttpResults;

namespace Miso.Privacy.Forwarding;

/// <summary>
/// A request with an Origin header came from a browser page. Publishable keys are made for that, from allowed
/// origins; a secret key in a page is a leaked secret, so it is refused rather than used.
/// </summary>
static class BrowserRules
{
    public static JsonHttpResult<MisoMessage>? Refusal(HttpRequest request, MisoKey key, ForwardingOptions options,
        string action = "upload interactions")
    {
        if (request.Headers.Origin.ToString() is not { Length: > 0 } origin)
            return null;
        if (key.IsSecret)
            return MisoAnswers.Message("Secret API keys must not be used from a browser. Use a publishable API key instead.",
                StatusCodes.Status403Forbidden);
        if (!options.AllowsOrigin(origin))
            return MisoAnswers.Message($"This origin is not allowed to {action}.", StatusCodes.Status403Forbidden);
        return null;
    }
}
