using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Miso.Privacy.Erasure;

namespace Miso.Privacy.OpenDsr;

/// <summary>
/// An erasure request that came through OpenDSR, under the controller's own id for it. The controller is the API key
/// that filed it (its name is the <c>controller_id</c>); its <c>subject_request_id</c> is unique per controller, and is the
/// idempotency key of the create.
/// </summary>
public sealed class OpenDsrRequest
{
    public Guid RequestId { get; init; }
    public required string ControllerId { get; init; }
    public Guid SubjectRequestId { get; init; }
}

sealed class OpenDsrRequestConfiguration : IEntityTypeConfiguration<OpenDsrRequest>
{
    public const string UniqueIndex = "ix_opendsr_requests_controller_id_subject_request_id";

    public void Configure(EntityTypeBuilder<OpenDsrRequest> builder)
    {
        builder.ToTable("opendsr_requests");
        builder.HasKey(r => r.RequestId);
        builder.Property(r => r.ControllerId).HasMaxLength(200);
        builder.HasOne<ErasureRequest>().WithOne().HasForeignKey<OpenDsrRequest>(r => r.RequestId);
        builder.HasIndex(r => new { r.ControllerId, r.SubjectRequestId }).IsUnique().HasDatabaseName(UniqueIndex);
    }
}
