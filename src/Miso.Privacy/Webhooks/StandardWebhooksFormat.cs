using System.Text.Json;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure.Json;
using Npgsql;

namespace Miso.Privacy.Webhooks;

public sealed record WebhookPayload(string Type, DateTimeOffset Timestamp, WebhookPayloadData Data);

/// <summary>What a subscriber learns of a request: its id, status, type, regulation, due date, ticket and counts; never a subject.</summary>
public sealed record WebhookPayloadData(Guid Id, string Status, string Type, string Regulation, DateTimeOffset DueAt, string? Ticket, RequestCounts Counts);

/// <summary>
/// Standard Webhooks 1.0 deliveries: the payload above, and <c>webhook-id</c>, <c>webhook-timestamp</c> (the attempt's,
/// in Unix seconds) and <c>webhook-signature</c> headers, signed with the webhook's secret, or for a request's
/// <c>callback_url</c> with the callback secret of the key that filed it.
/// </summary>
public sealed class StandardWebhooksFormat(NpgsqlDataSource database, SecretBox secrets) : ICallbackFormat
{
    public const string FormatName = "standard_webhooks";

    public string Name => FormatName;

    public string? Body(StatusEvent statusEvent, RequestCallback callback) => Payload(statusEvent);

    public static string Payload(StatusEvent e)
    {
        var r = e.Request;
        return JsonSerializer.Serialize(new WebhookPayload(e.Type, e.OccurredAt,
            new WebhookPayloadData(r.Id, r.Status, r.Type, r.Regulation, r.DueAt, r.Ticket, r.Counts)), ApiJson.Options);
    }

    public async ValueTask SignAsync(HttpRequestMessage message, DeliveryToSend delivery, byte[] body, DateTimeOffset now, CancellationToken ct)
    {
        var (sql, parameter, owner) = delivery.WebhookId is { } webhookId
            ? ("SELECT sealed_secret FROM privacy.webhooks WHERE id = $1", (object)webhookId, SecretBox.WebhookOwner(webhookId))
            : ("SELECT sealed_secret FROM privacy.callback_secrets WHERE key_name = $1", delivery.KeyName!, SecretBox.CallbackOwner(delivery.KeyName!));
        await using var command = database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        var sealedSecret = await command.ExecuteScalarAsync(ct) as byte[]
            ?? throw new InvalidOperationException("The secret that signs this delivery is gone.");
        var id = WebhookSignature.MessageId(delivery.EventId);
        var timestamp = now.ToUnixTimeSeconds();
        message.Headers.Add("webhook-id", id);
        message.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        message.Headers.Add("webhook-signature", WebhookSignature.Sign(secrets.Open(sealedSecret, owner), id, timestamp, body));
    }
}
