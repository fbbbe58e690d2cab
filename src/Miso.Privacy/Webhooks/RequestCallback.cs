using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Miso.Privacy.Erasure;

namespace Miso.Privacy.Webhooks;

/// <summary>
/// Where one request's own status events go, besides the subscribed webhooks: the <c>callback_url</c> of a create, or
/// each of an OpenDSR request's <c>status_callback_urls</c>. <see cref="Format"/> says how its bodies are written and
/// signed; <see cref="KeyName"/> is the API key that filed the request.
/// </summary>
public sealed class RequestCallback
{
    public long Id { get; init; }
    public Guid RequestId { get; init; }
    public required string Url { get; init; }
    public required string Format { get; init; }
    public required string KeyName { get; init; }

    /// <summary>The caller's own id for the request, when its format has one (OpenDSR's subject_request_id).</summary>
    public Guid? ExternalId { get; init; }
}

sealed class RequestCallbackConfiguration : IEntityTypeConfiguration<RequestCallback>
{
    public void Configure(EntityTypeBuilder<RequestCallback> builder)
    {
        builder.ToTable("request_callbacks");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Url).HasMaxLength(Destinations.MaxUrlLength);
        builder.Property(c => c.Format).HasMaxLength(20);
        builder.Property(c => c.KeyName).HasMaxLength(200);
        builder.HasOne<ErasureRequest>().WithMany().HasForeignKey(c => c.RequestId);
        builder.HasIndex(c => new { c.RequestId, c.Format, c.Url }).IsUnique();
    }
}
