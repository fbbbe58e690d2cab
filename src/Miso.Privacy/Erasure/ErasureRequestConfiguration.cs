using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Miso.Privacy.Erasure;

sealed class ErasureRequestConfiguration : IEntityTypeConfiguration<ErasureRequest>
{
    public void Configure(EntityTypeBuilder<ErasureRequest> builder)
    {
        builder.ToTable("erasure_requests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Number).UseIdentityAlwaysColumn();
        builder.HasIndex(r => r.Number).IsUnique();
        builder.Property(r => r.RequestedBy).HasMaxLength(200);
        builder.Property(r => r.Reason).HasMaxLength(2000);
        builder.Property(r => r.Ticket).HasMaxLength(200);
        builder.Property(r => r.CreatedBy).HasMaxLength(100);
        builder.Property(r => r.IdempotencyKey).HasMaxLength(255);
        builder.Property(r => r.CancelReason).HasMaxLength(2000);
        builder.HasIndex(r => new { r.CreatedBy, r.IdempotencyKey }).IsUnique().HasFilter("idempotency_key IS NOT NULL");
        builder.HasIndex(r => r.ReceivedAt);
        builder.HasIndex(r => new { r.Status, r.DueAt });
        builder.HasIndex(r => r.Ticket);
        // The dashboard summary: counts by status, regulation and type, and everything about completions.
        builder.HasIndex(r => new { r.Status, r.Regulation, r.Type });
        builder.HasIndex(r => r.CompletedAt).HasFilter("completed_at IS NOT NULL");
        // Every request filed before types existed was an erase request.
        builder.Property(r => r.Type).HasDefaultValue(RequestType.Erase);
        builder.Property(r => r.ExtensionReason).HasMaxLength(2000);
        // The dashboard's extensions granted in the last 30 days; few requests are ever extended.
        builder.HasIndex(r => r.ExtendedAt).HasFilter("extended_at IS NOT NULL");
        builder.HasMany(r => r.Subjects).WithOne().HasForeignKey(s => s.RequestId);
        builder.Property(r => r.DataKey).HasMaxLength(60);
        builder.Ignore(r => r.IsOpen);
    }
}
