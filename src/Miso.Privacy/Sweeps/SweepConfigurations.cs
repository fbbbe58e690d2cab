using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Miso.Privacy.Erasure;

namespace Miso.Privacy.Sweeps;

sealed class RequestSweepConfiguration : IEntityTypeConfiguration<RequestSweep>
{
    public void Configure(EntityTypeBuilder<RequestSweep> builder)
    {
        builder.ToTable("request_sweeps");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Outcome).HasMaxLength(20);
        builder.HasOne<ErasureRequest>().WithMany().HasForeignKey(s => s.RequestId);
        builder.HasOne<SweepReplay>().WithMany().HasForeignKey(s => s.ReplayId);
        builder.HasIndex(s => new { s.RequestId, s.Round }).IsUnique().HasFilter("replay_id IS NULL");
        builder.HasIndex(s => new { s.ReplayId, s.RequestId }).IsUnique().HasFilter("replay_id IS NOT NULL");
        builder.HasIndex(s => s.SweptAt);
        // The drain's planning of sweeps that came due (SweepPlanner.PlanDueAsync).
        builder.HasIndex(s => s.DueAt).HasFilter("swept_at IS NULL").HasDatabaseName("ix_request_sweeps_unswept_due");
    }
}

sealed class SweepItemConfiguration : IEntityTypeConfiguration<SweepItem>
{
    public void Configure(EntityTypeBuilder<SweepItem> builder)
    {
        builder.ToTable("sweep_items");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Environment).HasMaxLength(100);
        builder.Property(w => w.LastError).HasMaxLength(2000);
        builder.Property(w => w.MisoMessage).HasMaxLength(2000);
        builder.HasOne<RequestSweep>().WithMany().HasForeignKey(w => w.SweepId);
        builder.HasOne<ErasureRequest>().WithMany().HasForeignKey(w => w.RequestId);
        builder.HasOne<RequestSubject>().WithMany().HasForeignKey(w => w.SubjectId);
        builder.HasIndex(w => new { w.SweepId, w.SubjectId, w.Environment, w.Operation }).IsUnique();
        builder.HasIndex(w => w.RequestId);
        builder.HasIndex(w => w.BatchId);
        // The drain's claim, as for work items: due items of one environment and operation, oldest first.
        builder.HasIndex(w => new { w.Environment, w.Operation, w.NextAttemptAt })
            .HasFilter("state IN ('pending', 'in_flight', 'retrying')")
            .HasDatabaseName("ix_sweep_items_due");
    }
}

sealed class SweepReplayConfiguration : IEntityTypeConfiguration<SweepReplay>
{
    public void Configure(EntityTypeBuilder<SweepReplay> builder)
    {
        builder.ToTable("sweep_replays");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.RequestedBy).HasMaxLength(100);
        builder.Property(r => r.Reason).HasMaxLength(2000);
    }
}
