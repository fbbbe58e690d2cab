using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Miso.Privacy.Miso;
using Yarp.ReverseProxy.Forwarder;

namespace Miso.Privacy.Forwarding;

/// <summary>
/// Sends a request on to the Miso environment of its key with YARP's direct forwarding: method, path, query, headers
/// and body as they came; Miso's status, headers and body back as Miso sent them, streamed both ways.
/// </summary>
/// <remarks>
/// One invoker per environment, its handler from the HTTP client factory (so the process's outbound handlers apply)
/// and never rotated, since the invoker is held for the process's life. No retries and no circuit breaker: a
/// forwarded call need not be idempotent, and the caller's SDK decides whether to try again.
/// </remarks>
public sealed partial class MisoForwarder(
    IHttpForwarder forwarder, IHttpMessageHandlerFactory handlers, IOptions<MisoOptions> options, ILogger<MisoForwarder> logger)
{
    public const string ClientName = "miso-forwarding";

    static readonly ForwarderRequestConfig Config = new() { ActivityTimeout = TimeSpan.FromSeconds(100) };

    readonly ConcurrentDictionary<string, (string Prefix, HttpMessageInvoker Invoker)> _environments = new(StringComparer.Ordinal);

    public async Task ForwardAsync(HttpContext http, MisoKey key)
    {
        var (prefix, invoker) = _environments.TryGetValue(key.Environment, out var known) ? known : Add(key.Environment);
        var error = await forwarder.SendAsync(http, prefix, invoker, Config, RawTargetTransformer.Instance);
        // The caller going away is not Miso's failure, and YARP has already answered it.
        if (error is ForwarderError.None or ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled
            or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient)
            return;
        // A body the caller could not finish sending: YARP set the status; the words are Miso's, as on every /v1 answer.
        if (error is ForwarderError.RequestBodyClient)
        {
            if (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
                await MisoAnswers.Message("The request body could not be read.", http.Response.StatusCode).ExecuteAsync(http);
            return;
        }
        LogFailed(logger, key.Environment, error.ToString());
        if (http.Response.HasStarted)
            return;
        await MisoAnswers.Message("Miso could not be reached. Retry later.", StatusCodes.Status502BadGateway).ExecuteAsync(http);
    }

    (string Prefix, HttpMessageInvoker Invoker) Add(string environment) => _environments.GetOrAdd(environment, name => (
        options.Value.Find(name)?.BaseUrl ?? throw new InvalidOperationException($"No Miso environment is named '{name}'."),
        new HttpMessageInvoker(handlers.CreateHandler(ClientName), disposeHandler: false)));

    [LoggerMessage(LogLevel.Warning, "Forwarding to Miso environment {Environment} failed ({Error})")]
    static partial void LogFailed(ILogger logger, string environment, string error);
}
