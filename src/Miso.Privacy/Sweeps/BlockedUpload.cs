using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Miso.Privacy.Erasure;

namespace Miso.Privacy.Sweeps;

/// <summary>Uploaded records a request's suppressions dropped on one day (UTC), after the request was filed.</summary>
public sealed class BlockedUpload
{
    public Guid RequestId { get; init; }
    public DateOnly Day { get; init; }
    public long BlockedRecords { get; set; }
    public DateTimeOffset LastBlockedAt { get; set; }
}

sealed class BlockedUploadConfiguration : IEntityTypeConfiguration<BlockedUpload>
{
    public void Configure(EntityTypeBuilder<BlockedUpload> builder)
    {
        builder.ToTable("blocked_uploads");
        builder.HasKey(b => new { b.RequestId, b.Day });
        builder.HasOne<ErasureRequest>().WithMany().HasForeignKey(b => b.RequestId);
        // The dashboard's last 30 days.
        builder.HasIndex(b => b.Day);
    }
}
