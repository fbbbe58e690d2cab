using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Miso.Privacy.Erasure;

namespace Miso.Privacy.Execution;

sealed class WorkItemConfiguration : IEntityTypeConfiguration<WorkItem>
{
    public void Configure(EntityTypeBuilder<WorkItem> builder)
    {
        builder.ToTable("work_items");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Environment).HasMaxLength(100);
        builder.Property(w => w.LastError).HasMaxLength(2000);
        builder.Property(w => w.MisoMessage).HasMaxLength(2000);
        builder.HasOne<ErasureRequest>().WithMany().HasForeignKey(w => w.RequestId);
        builder.HasOne<RequestSubject>().WithMany().HasForeignKey(w => w.SubjectId);
        builder.HasIndex(w => new { w.SubjectId, w.Environment, w.Operation }).IsUnique();
        builder.HasIndex(w => w.RequestId);
        builder.HasIndex(w => w.BatchId);
        builder.HasIndex(w => w.Environment).HasFilter("state = 'failed'").HasDatabaseName("ix_work_items_failed");
        builder.HasIndex(w => new { w.Environment, w.DeletedAt }).HasFilter("deleted_at IS NOT NULL");
        // The drain's claim: due items of one environment and operation, oldest first.
        builder.HasIndex(w => new { w.Environment, w.Operation, w.NextAttemptAt })
            .HasFilter("state IN ('pending', 'in_flight', 'retrying')")
            .HasDatabaseName("ix_work_items_due");
    }
}
