namespace Miso.Privacy.Webhooks;

/// <summary>
/// An endpoint that receives the status events it subscribed to. Its secret is shown once, when it is created; the row
/// keeps it sealed (see <see cref="SecretBox"/>). A deleted endpoint keeps its row, so its deliveries stay readable.
/// </summary>
public sealed class Webhook
{
    public Guid Id { get; init; }
    public required string Url { get; init; }
    public required string[] Events { get; init; }
    public required byte[] SealedSecret { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset? DeletedAt { get; set; }
    public string? DeletedBy { get; set; }
}
