using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Miso.Privacy.Suppressions;

sealed class SuppressionConfiguration : IEntityTypeConfiguration<Suppression>
{
    public void Configure(EntityTypeBuilder<Suppression> builder)
    {
        builder.ToTable("suppressions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Hash).HasMaxLength(32);
        builder.Property(s => s.LiftedBy).HasMaxLength(100);
        builder.Property(s => s.LiftReason).HasMaxLength(2000);
        builder.Property(s => s.Environment).HasMaxLength(100);
        // Nulls not distinct: a subject has at most one active every-environment row, as it has one per environment.
        builder.HasIndex(s => new { s.Hash, s.Environment }).IsUnique().AreNullsDistinct(false).HasFilter("lifted_at IS NULL")
            .HasDatabaseName("ux_suppressions_active_hash_environment");
        builder.HasIndex(s => s.LookupKey).HasFilter("lifted_at IS NULL").HasDatabaseName("ix_suppressions_active_lookup_key");
        builder.HasIndex(s => s.RequestId);
        builder.HasIndex(s => s.Version);
        // Only lifted rows have a lifted version, and only they are looked up by it (changes since a version): every row
        // a create inserts has none, and indexing its null was one index of six to maintain per row under the ledger lock.
        builder.HasIndex(s => s.LiftedVersion).HasFilter("lifted_version IS NOT NULL");
    }
}
