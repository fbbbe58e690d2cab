using Miso.Privacy.Execution;

namespace Miso.Privacy.Miso;

/// <summary>
/// Sits inside the retry pipeline, so every attempt of a deletion call, retries included, takes a slot
/// from the shared rate gate.
/// </summary>
sealed class RateGateHandler(RateGateStore gate) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (!MisoRequestOptions.IsRateLimited(request))
            return await base.SendAsync(request, ct);
        var environment = MisoRequestOptions.EnvironmentOf(request);
        await gate.WaitForSlotAsync(environment, ct);
        var response = await base.SendAsync(request, ct);
        if ((int)response.StatusCode == StatusCodes.Status429TooManyRequests && MisoClient.RetryAfter(response) is { } after)
            await gate.PushBackAsync(environment, after, ct);
        return response;
    }
}
