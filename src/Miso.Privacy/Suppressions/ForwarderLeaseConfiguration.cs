using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Miso.Privacy.Suppressions;

sealed class ForwarderLeaseConfiguration : IEntityTypeConfiguration<ForwarderLease>
{
    public void Configure(EntityTypeBuilder<ForwarderLease> builder)
    {
        builder.ToTable("forwarder_leases");
        builder.HasKey(l => l.InstanceId);
        builder.Property(l => l.InstanceId).ValueGeneratedNever();
    }
}
