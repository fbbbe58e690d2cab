using System.Text.Json;
using Miso.Privacy.Webhooks;

namespace Miso.Privacy.OpenDsr;

/// <summary>§8.6: the callback body.</summary>
public sealed record OpenDsrCallback(
    string ControllerId, DateTimeOffset ExpectedCompletionTime, string StatusCallbackUrl, Guid SubjectRequestId, string RequestStatus,
    string ApiVersion, Dictionary<string, ProcessorStatus> Extensions);

/// <summary>
/// OpenDSR status callbacks (§8.5–8.8), sent to each of a request's <c>status_callback_urls</c> on every change of its state,
/// through the webhooks' outbox: the same transaction as the change, the same retries, order and address rules. Signed
/// like our answers, over the exact body, with our processor key.
/// </summary>
public sealed class OpenDsrCallbacks(ProcessorIdentity identity) : ICallbackFormat
{
    public const string FormatName = "opendsr";

    public string Name => FormatName;

    public string? Body(StatusEvent statusEvent, RequestCallback callback)
    {
        if (!identity.Enabled)
            return null;
        var r = statusEvent.Request;
        return JsonSerializer.Serialize(new OpenDsrCallback(callback.KeyName, r.DueAt, callback.Url, callback.ExternalId!.Value,
            OpenDsrStatus.RequestStatus(r.Status), OpenDsrJson.ApiVersion, OpenDsrStatus.Extensions(identity.Domain!, r.Status)), OpenDsrJson.Options);
    }

    public ValueTask SignAsync(HttpRequestMessage message, DeliveryToSend delivery, byte[] body, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var (header, value) in OpenDsrResult.Headers(identity, body))
            message.Headers.TryAddWithoutValidation(header, value);
        return ValueTask.CompletedTask;
    }
}
