using Miso.Privacy.Execution;
using Npgsql;

namespace Miso.Privacy.Miso;

/// <summary>
/// Sits inside the retry pipeline, so every attempt of a deletion call, retries included, takes a slot
/// from the shared rate gate, and gives it back once the attempt has ended.
/// </summary>
sealed class RateGateHandler(RateGateStore gate, ILogger<RateGateHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (!MisoRequestOptions.IsRateLimited(request))
            return await base.SendAsync(request, ct);
        var environment = MisoRequestOptions.EnvironmentOf(request);
        var grant = await gate.WaitForSlotAsync(environment, ct);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, ct);
        }
        finally
        {
            await SettleAsync(grant);
        }
        if ((int)response.StatusCode == StatusCodes.Status429TooManyRequests && MisoClient.RetryAfter(response) is { } after)
            await gate.PushBackAsync(environment, after, ct);
        return response;
    }

    /// <summary>Also when the attempt was cancelled. A grant left unsettled only holds its slot longer, so a failure here is no reason to fail the call.</summary>
    async Task SettleAsync(long grant)
    {
        try
        {
            await gate.SettleAsync(grant, CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(e, "Could not settle rate grant {Grant}; it holds its slot until it expires", grant);
        }
    }
}
