using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Miso.Privacy.Suppressions;

sealed class SuppressionStateConfiguration : IEntityTypeConfiguration<SuppressionState>
{
    public void Configure(EntityTypeBuilder<SuppressionState> builder)
    {
        builder.ToTable("suppression_state");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasData(new SuppressionState { Id = 1, Version = 0 });
    }
}
