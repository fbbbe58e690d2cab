using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Miso.Privacy.Audit;

sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("audit_events");
        builder.HasKey(e => e.Seq);
        builder.Property(e => e.Seq).ValueGeneratedNever();
        builder.Property(e => e.Actor).HasMaxLength(200);
        builder.Property(e => e.Action).HasMaxLength(100);
        builder.Property(e => e.SubjectHash).HasMaxLength(32);
        builder.Property(e => e.Details).HasColumnType("jsonb");
        builder.Property(e => e.PrevHash).HasMaxLength(32);
        builder.Property(e => e.Hash).HasMaxLength(32);
        builder.HasIndex(e => e.RequestId);
        builder.HasIndex(e => e.OccurredAt);
    }
}
