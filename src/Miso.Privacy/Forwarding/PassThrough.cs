using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.Miso;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Forwarding;

/// <summary>
/// Every Miso route the service does not answer itself, passed through to the key's environment, so that Miso's
/// SDKs work with only their base URL changed. Engine requests are read first: one that names a person suppressed
/// in that environment goes on without any of that person's ids (see <see cref="EngineIds"/>); any other goes on as
/// the bytes it came as. Everything else streams through unread.
/// </summary>
/// <remarks>
/// No erasure oracle: an anonymised request gets Miso's answer to it, which is shaped as anyone's, and no header
/// of ours says so, whatever the key. Like uploads, it fails closed: when the service cannot tell who is suppressed,
/// or cannot read the body, nothing is sent.
/// </remarks>
public static partial class PassThrough
{
    sealed record Services(MisoKeys Keys, MisoForwarder Forwarder, SuppressionSync Suppressions, ForwardingMetrics Metrics,
        IOptions<ForwardingOptions> Options, IOptions<MisoOptions> Miso, ILogger<MisoForwarder> Logger)
    {
        public static Services From(IServiceProvider provider) => new(provider.GetRequiredService<MisoKeys>(), provider.GetRequiredService<MisoForwarder>(),
            provider.GetRequiredService<SuppressionSync>(), provider.GetRequiredService<ForwardingMetrics>(),
            provider.GetRequiredService<IOptions<ForwardingOptions>>(), provider.GetRequiredService<IOptions<MisoOptions>>(),
            provider.GetRequiredService<ILogger<MisoForwarder>>());
    }

    /// <summary>
    /// The endpoint, as a plain request delegate: every service it uses is a singleton, so they are resolved on the
    /// first call rather than bound, one by one, on every forwarded call.
    /// </summary>
    public static RequestDelegate Endpoint()
    {
        Services? services = null;
        return http => Handle(http, services ??= Services.From(http.RequestServices));
    }

    static async Task Handle(HttpContext http, Services services)
    {
        var (keys, forwarder, suppressions, metrics, options, miso, logger) = services;
        var arrivedAt = Stopwatch.GetTimestamp();
        if (keys.Resolve(http.Request) is not { } key)
        {
            await MisoAnswers.UnknownKey(EngineRoutes.IsExperimentEvents(http.Request)).ExecuteAsync(http);
            return;
        }
        if (BrowserRules.Refusal(http.Request, key, options.Value, "call Miso") is { } refused)
        {
            await refused.ExecuteAsync(http);
            return;
        }
        if (EngineRoutes.FamilyOf(http.Request.Path) is not { } family || HttpMethods.IsGet(http.Request.Method))
        {
            await forwarder.ForwardAsync(http, key);
            return;
        }

        var limit = options.Value.MaxBodyBytes;
        using var body = await RequestBody.ReadAsync(http, limit);
        if (body is null)
        {
            await MisoAnswers.TooLarge(limit).ExecuteAsync(http);
            return;
        }
        try
        {
            await suppressions.EnsureCurrentAsync(arrivedAt, http.RequestAborted);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            LogSuppressionsUnknown(logger, e.GetType().Name);
            await MisoAnswers.Message("The service cannot check erasures right now; nothing was forwarded. Retry later.",
                StatusCodes.Status503ServiceUnavailable).ExecuteAsync(http);
            return;
        }

        var proof = key.IsSecret || !EngineRoutes.ChecksUserHash(family) ? null : Proof(miso.Value.Find(key.Environment)!.SecretKey);
        var scrub = EngineIds.Scrub(body.Memory.Span, suppressions.For(key.Environment), family == EngineRoutes.Bulk, proof);
        if (scrub.Malformed)
        {
            await MisoValidation.Result([MisoValidation.Issue("Request body is not valid JSON.", "value_error.jsondecode", "body")]).ExecuteAsync(http);
            return;
        }
        if (scrub.NothingStripped)
        {
            Replace(http.Request, body.Memory);
            await forwarder.ForwardAsync(http, key);
            return;
        }

        metrics.Anonymised(key.Environment, family, scrub.Stripped);
        var rented = ArrayPool<byte>.Shared.Rent(body.Memory.Length + scrub.Edits!.Sum(e => e.Insert?.Length ?? 0));
        try
        {
            var kept = new FixedBufferWriter(rented);
            scrub.Apply(body.Memory.Span, kept);
            Replace(http.Request, rented.AsMemory(0, kept.Written));
            await forwarder.ForwardAsync(http, key);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Miso's <c>user_hash</c>: the hex HMAC-SHA256 of the id under the environment's secret key, in any case.</summary>
    static HashProof Proof(string secretKey) => (id, hash) =>
        hash.Equals(Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(id))), StringComparison.OrdinalIgnoreCase);

    /// <summary>The body YARP streams to Miso: the one read, or what is left of it.</summary>
    static void Replace(HttpRequest request, ReadOnlyMemory<byte> body)
    {
        if (!MemoryMarshal.TryGetArray(body, out var segment))
            throw new InvalidOperationException("A request body is always held in an array.");
        request.Body = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
        request.Headers.Remove("Transfer-Encoding");
        request.ContentLength = segment.Count;
    }

    [LoggerMessage(LogLevel.Warning, "Cannot read the suppression version ({Error}); refusing an engine request")]
    static partial void LogSuppressionsUnknown(ILogger logger, string error);
}
