using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Miso.Privacy.Cli.Http;

/// <summary>
/// The management API over HTTP: JSON in and out, transient faults retried where that is safe (<see cref="Retries"/>),
/// and every failure turned into a <see cref="CliFailure"/> with the exit code its kind gets.
/// </summary>
sealed class ServiceClient(HttpClient http, Uri baseAddress) : IDisposable
{
    static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(100);

    public Uri BaseAddress { get; } = baseAddress;

    public static ServiceClient Create(Uri baseAddress, string? key, CliConsole console)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 3,
                Delay = console.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(Retries.ShouldRetry(args.Outcome, args.Context.GetRequestMessage(), console.LongestRetryAfter)),
            })
            .AddTimeout(AttemptTimeout)
            .Build();
        var handler = new ResilienceHandler(pipeline)
        {
            InnerHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), AllowAutoRedirect = false },
        };
        // Attempts have their own timeout; a report's body may then take as long as it takes to stream.
        var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("miso-privacy", Version));
        if (key is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return new ServiceClient(http, baseAddress);
    }

    public static string Version => typeof(ServiceClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public Task<Reply> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, null, ct);

    public async Task<Reply> SendAsync(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, CliJson.Body))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } },
            };
        if (idempotencyKey is not null)
            request.Headers.Add(Retries.IdempotencyHeader, idempotencyKey);
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        if (bytes.Length == 0)
            return new Reply(response.StatusCode, default);
        try
        {
            return new Reply(response.StatusCode, JsonDocument.Parse(bytes).RootElement.Clone());
        }
        catch (JsonException)
        {
            throw new CliFailure(ExitCodes.ServiceError, $"The service answered {(int)response.StatusCode} with a body that is not JSON.");
        }
    }

    /// <summary>A GET whose body the caller streams (exports); a failure is read and thrown before it is handed over.</summary>
    public Task<HttpResponseMessage> OpenAsync(string path, CancellationToken ct) =>
        SendCoreAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, ct);

    public async Task<byte[]> GetBytesAsync(string path, CancellationToken ct)
    {
        using var response = await SendCoreAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseContentRead, ct);
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliFailure(ExitCodes.Unreachable, $"Cannot reach {BaseAddress}: {e.Message}");
        }
        catch (TimeoutRejectedException)
        {
            throw new CliFailure(ExitCodes.Unreachable, $"{BaseAddress} did not answer within {AttemptTimeout.TotalSeconds:0} seconds.");
        }
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
            throw await FailureAsync(response, ct);
    }

    static async Task<CliFailure> FailureAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var code = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? ExitCodes.Unauthorized
            : status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests ? ExitCodes.ServiceError
            : status is >= 300 and < 400 ? ExitCodes.ServiceError
            : ExitCodes.Failed;
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(ct));
        var problem = Problem.Read(text, response.Content.Headers.ContentType?.MediaType);
        var title = problem?.Title ?? response.ReasonPhrase ?? "";
        var message = $"The service answered {status}{(title.Length > 0 ? " " : "")}{title.TrimEnd('.')}.";
        if (status is >= 300 and < 400)
            message += $" It redirects to {response.Headers.Location}: check the service URL.";
        return new CliFailure(code, message, problem?.Lines ?? []);
    }

    public void Dispose() => http.Dispose();
}
