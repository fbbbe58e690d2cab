using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Miso.Privacy.Execution;

/// <summary>
/// The next free call slot per Miso environment, shared by every instance through PostgreSQL so that
/// together they never exceed Execution:MaxCallsPerSecond.
/// </summary>
public sealed class RateGate
{
    public required string Environment { get; init; }
    public DateTimeOffset NextSlotAt { get; set; }
}

sealed class RateGateConfiguration : IEntityTypeConfiguration<RateGate>
{
    public void Configure(EntityTypeBuilder<RateGate> builder)
    {
        builder.ToTable("miso_rate_gates");
        builder.HasKey(g => g.Environment);
        builder.Property(g => g.Environment).HasMaxLength(100);
    }
}
