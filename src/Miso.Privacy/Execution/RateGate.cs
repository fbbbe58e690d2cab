using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Miso.Privacy.Execution;

/// <summary>
/// One row per Miso environment: the lock every instance takes to grant a call, and the time before
/// which nobody may call (Miso's Retry-After, shared by every instance).
/// </summary>
public sealed class RateGate
{
    public required string Environment { get; init; }
    public DateTimeOffset NextSlotAt { get; set; }
}

/// <summary>A granted Miso call, kept for a minute: the sliding window the rate limit is counted over.</summary>
public sealed class RateGrant
{
    public long Id { get; init; }
    public required string Environment { get; init; }
    public DateTimeOffset GrantedAt { get; init; }

    /// <summary>When the call ended, answered or not: it reached Miso, if at all, before then. Null while on its way.</summary>
    public DateTimeOffset? SettledAt { get; set; }
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

sealed class RateGrantConfiguration : IEntityTypeConfiguration<RateGrant>
{
    public void Configure(EntityTypeBuilder<RateGrant> builder)
    {
        builder.ToTable("miso_rate_grants");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Environment).HasMaxLength(100);
        builder.HasIndex(g => new { g.Environment, g.GrantedAt });
    }
}
