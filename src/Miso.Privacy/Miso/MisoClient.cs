using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Miso.Privacy.Miso;

/// <summary>
/// Miso's Interaction and User APIs. The key travels in the X-API-KEY header, never in a URL that
/// could be logged. Deletions pass the shared rate gate and are idempotent; customer uploads are neither.
/// </summary>
public sealed class MisoClient(HttpClient http, IOptions<MisoOptions> options)
{
    public Task<MisoResult> DeleteInteractionsAsync(string environment, IReadOnlyCollection<string> userIds, CancellationToken ct) =>
        SendAsync(environment, HttpMethod.Delete, "v1/interactions", JsonContent.Create(new { user_ids = userIds }), ct);

    public Task<MisoResult> DeleteUsersAsync(string environment, IReadOnlyCollection<string> userIds, CancellationToken ct) =>
        SendAsync(environment, HttpMethod.Post, "v1/users/_delete", JsonContent.Create(new { data = new { user_ids = userIds } }), ct);

    /// <summary>Sends an upload (to <c>v1/interactions</c> or <c>v1/users</c>) as given and hands back Miso's answer for relaying; the caller disposes it.</summary>
    public Task<HttpResponseMessage> UploadAsync(string environment, string apiKey, string path, HttpContent body, CancellationToken ct)
    {
        // Not idempotent: a second send of the same records stores them twice.
        var request = Request(environment, HttpMethod.Post, path, body, apiKey, MisoRequestOptions.Uploads, rateLimited: false, idempotent: false);
        return http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
    }

    async Task<MisoResult> SendAsync(string environment, HttpMethod method, string path, HttpContent body, CancellationToken ct)
    {
        var secret = Environment(environment).SecretKey;
        try
        {
            using var response = await http.SendAsync(
                Request(environment, method, path, body, secret, MisoRequestOptions.Deletions, rateLimited: true, idempotent: true), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            return MisoResult.From((int)response.StatusCode, text, RetryAfter(response));
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
                                       or TaskCanceledException { CancellationToken.IsCancellationRequested: false })
        {
            return MisoResult.Unanswered(e);
        }
    }

    HttpRequestMessage Request(string environment, HttpMethod method, string path, HttpContent body, string key, string traffic,
        bool rateLimited, bool idempotent)
    {
        var request = new HttpRequestMessage(method, Environment(environment).Url(path)) { Content = body };
        request.Headers.Add("X-API-KEY", key);
        request.Options.Set(MisoRequestOptions.Environment, environment);
        request.Options.Set(MisoRequestOptions.Traffic, traffic);
        request.Options.Set(MisoRequestOptions.RateLimited, rateLimited);
        request.Options.Set(MisoRequestOptions.Idempotent, idempotent);
        return request;
    }

    MisoEnvironment Environment(string name) =>
        options.Value.Find(name) ?? throw new InvalidOperationException($"No Miso environment is named '{name}'.");

    public static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };
}
