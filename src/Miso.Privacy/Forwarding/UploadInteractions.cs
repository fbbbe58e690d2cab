using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.Miso;
using Miso.Privacy.Suppressions;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Miso.Privacy.Forwarding;

/// <summary>
/// Miso's Interaction and User Upload APIs, in front of Miso: drops the records of subjects suppressed in the key's
/// environment (a <c>user_id</c> or <c>anonymous_id</c> of the record's top level) and forwards the rest as the bytes they were sent as. It fails closed: when it cannot tell who is
/// suppressed, nothing is sent.
/// </summary>
/// <remarks>
/// No erasure oracle. A publishable key is public (it sits in every web page), so whoever holds one must not learn
/// from the answer whether a named person is suppressed: its callers get no dropped count, and an upload whose every
/// record was dropped is still sent to Miso, as the empty list that is left, so that its answer is Miso's own (status,
/// headers, body, and the time a Miso round trip takes, outages included). The dropped count and the shortcut of not
/// calling Miso are kept for secret keys, which only the customer's servers hold.
/// </remarks>
public static partial class UploadInteractions
{
    /// <summary>How many records were dropped; sent only to callers with a secret key.</summary>
    public const string DroppedHeader = "X-Miso-Privacy-Dropped";

    static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>Miso's upload routes whose records name people: where they go, and whether a publishable key may use them.</summary>
    public sealed record Route(string Path, bool SecretOnly);

    public static readonly Route Interactions = new("v1/interactions", SecretOnly: false);

    /// <summary>Miso's User Upload API: records of suppressed users would re-create what the erasure jobs deleted.</summary>
    public static readonly Route Users = new("v1/users", SecretOnly: true);

    public static Task<Results<MisoRelay, JsonHttpResult<MisoMessage>, JsonHttpResult<MisoError>, JsonHttpResult<MisoSchemaErrors>>> Handle(
        HttpContext http, MisoKeys keys, SuppressionSync suppressions, MisoClient miso, ForwardingMetrics metrics,
        IOptions<ForwardingOptions> options, ILogger<MisoRelay> logger, CancellationToken ct) =>
        HandleAsync(Interactions, http, keys, suppressions, miso, metrics, options, logger, ct);

    public static Task<Results<MisoRelay, JsonHttpResult<MisoMessage>, JsonHttpResult<MisoError>, JsonHttpResult<MisoSchemaErrors>>> HandleUsers(
        HttpContext http, MisoKeys keys, SuppressionSync suppressions, MisoClient miso, ForwardingMetrics metrics,
        IOptions<ForwardingOptions> options, ILogger<MisoRelay> logger, CancellationToken ct) =>
        HandleAsync(Users, http, keys, suppressions, miso, metrics, options, logger, ct);

    static async Task<Results<MisoRelay, JsonHttpResult<MisoMessage>, JsonHttpResult<MisoError>, JsonHttpResult<MisoSchemaErrors>>> HandleAsync(
        Route route, HttpContext http, MisoKeys keys, SuppressionSync suppressions, MisoClient miso, ForwardingMetrics metrics,
        IOptions<ForwardingOptions> options, ILogger<MisoRelay> logger, CancellationToken ct)
    {
        var arrivedAt = Stopwatch.GetTimestamp();
        if (keys.Resolve(http.Request) is not { } key)
            return MisoAnswers.UnknownKey();
        if (BrowserRules.Refusal(http.Request, key, options.Value) is { } refused)
            return refused;
        // Miso's own answer, given without asking Miso: the body may name people it must not hear of.
        if (route.SecretOnly && !key.IsSecret)
            return MisoAnswers.Message(MisoAnswers.SecretKeyRequired, StatusCodes.Status403Forbidden);

        var limit = options.Value.MaxBodyBytes;
        using var body = await RequestBody.ReadAsync(http, limit);
        if (body is null)
            return MisoAnswers.TooLarge(limit);

        try
        {
            await suppressions.EnsureCurrentAsync(arrivedAt, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            LogSuppressionsUnknown(logger, e.GetType().Name);
            return MisoAnswers.Message("The service cannot check erasures right now; nothing was forwarded. Retry later.",
                StatusCodes.Status503ServiceUnavailable);
        }

        var result = UploadFilter.Filter(body.Memory, suppressions.For(key.Environment));
        if (result.Error is { } error)
            return error.StatusCode == StatusCodes.Status400BadRequest ? MisoAnswers.Malformed(error.Message) : MisoAnswers.SchemaErrors(error.Message);

        metrics.Filtered(key.Environment, result.Received, result.Dropped);
        if (key.IsSecret)
        {
            http.Response.Headers[DroppedHeader] = result.Dropped.ToString(CultureInfo.InvariantCulture);
            // Miso's answer to a user upload carries a task id only Miso can give; the empty list goes to get it.
            if (result.Received > 0 && result.Dropped == result.Received && route == Interactions)
                return MisoAnswers.Success();
        }
        return await ForwardAsync(route, key, body.Memory, result, miso, metrics, logger, ct);
    }

    static async Task<Results<MisoRelay, JsonHttpResult<MisoMessage>, JsonHttpResult<MisoError>, JsonHttpResult<MisoSchemaErrors>>> ForwardAsync(
        Route route, MisoKey key, ReadOnlyMemory<byte> body, UploadFilterResult result, MisoClient miso, ForwardingMetrics metrics, ILogger logger,
        CancellationToken ct)
    {
        byte[]? rented = null;
        try
        {
            HttpContent content;
            if (result.NothingDropped)
            {
                content = new ReadOnlyMemoryContent(body);
            }
            else
            {
                rented = ArrayPool<byte>.Shared.Rent(body.Length);
                var kept = new FixedBufferWriter(rented);
                result.WriteForwardBody(kept);
                content = new ByteArrayContent(rented, 0, kept.Written);
            }
            content.Headers.ContentType = Json;

            using var response = await miso.UploadAsync(key.Environment, key.Value, route.Path, content, ct);
            var status = (int)response.StatusCode;
            var answer = await response.Content.ReadAsByteArrayAsync(ct);
            if (status >= 500)
            {
                LogMisoFailed(logger, key.Environment, status);
                return Unavailable(status == StatusCodes.Status503ServiceUnavailable ? status : StatusCodes.Status502BadGateway,
                    $"Miso answered {status}; nothing was forwarded. Retry later.");
            }
            if (status is >= 200 and < 300)
                metrics.Forwarded(key.Environment, result.Received - result.Dropped);
            else
                answer = MisoRelay.Remap(answer, result);
            return new MisoRelay(status, response.Content.Headers.ContentType?.ToString() ?? "application/json", answer,
                MisoClient.RetryAfter(response));
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
                                       or TaskCanceledException { CancellationToken.IsCancellationRequested: false })
        {
            LogMisoFailed(logger, key.Environment, 0);
            return e is BrokenCircuitException
                ? Unavailable(StatusCodes.Status503ServiceUnavailable, "Miso is unavailable; nothing was forwarded. Retry later.")
                : Unavailable(StatusCodes.Status502BadGateway, "Miso could not be reached; nothing was forwarded. Retry later.");
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    static JsonHttpResult<MisoMessage> Unavailable(int status, string message) => MisoAnswers.Message(message, status);

    [LoggerMessage(LogLevel.Warning, "Cannot read the suppression version ({Error}); refusing the upload")]
    static partial void LogSuppressionsUnknown(ILogger logger, string error);

    [LoggerMessage(LogLevel.Warning, "Upload to Miso environment {Environment} failed (status {Status}, 0 = no answer)")]
    static partial void LogMisoFailed(ILogger logger, string environment, int status);
}
