using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Miso.Privacy.Erasure;

sealed class RequestSubjectConfiguration : IEntityTypeConfiguration<RequestSubject>
{
    public void Configure(EntityTypeBuilder<RequestSubject> builder)
    {
        builder.ToTable("request_subjects");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Value).HasMaxLength(1024);
        builder.Property(s => s.Hash).HasMaxLength(32);
        // A 1024-character id, sealed: nonce and tag around at most 4 UTF-8 bytes per character.
        builder.Property(s => s.SealedValue).HasMaxLength(4096 + 28);
        builder.HasIndex(s => new { s.RequestId, s.Hash }).IsUnique();
        builder.HasIndex(s => s.Hash);
    }
}
