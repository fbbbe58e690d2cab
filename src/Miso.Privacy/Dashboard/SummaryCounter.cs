using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Miso.Privacy.Dashboard;

/// <summary>
/// One figure the dashboard summary adds up, keyed by what it counts (<see cref="Metric"/>), up to three dimensions and,
/// for figures over time, the start of a UTC hour or day (<see cref="Period"/>). PostgreSQL triggers keep these in the
/// same transactions that change requests, work items, suppressions and sweeps (migration SummaryCounters holds them);
/// no C# writes them except <see cref="SummaryCompaction"/>, which folds <see cref="SummaryCounterDelta"/> rows into these totals.
/// </summary>
public sealed class SummaryCounter
{
    public long Id { get; init; }
    public required string Metric { get; init; }
    public DateTimeOffset? Period { get; init; }
    public string Dim1 { get; init; } = "";
    public string Dim2 { get; init; } = "";
    public string Dim3 { get; init; } = "";
    public long Count { get; init; }
    public long Late { get; init; }
    public decimal Seconds { get; init; }
    public DateTimeOffset? Latest { get; init; }
}

/// <summary>
/// A change to a <see cref="SummaryCounter"/>, appended by a trigger. Writers only ever insert here, so no create waits
/// for another on a shared counter row; the compaction folds these into the totals.
/// </summary>
public sealed class SummaryCounterDelta
{
    public long Id { get; init; }
    public required string Metric { get; init; }
    public DateTimeOffset? Period { get; init; }
    public string Dim1 { get; init; } = "";
    public string Dim2 { get; init; } = "";
    public string Dim3 { get; init; } = "";
    public long Count { get; init; }
    public long Late { get; init; }
    public decimal Seconds { get; init; }
    public DateTimeOffset? Latest { get; init; }
}

sealed class SummaryCounterConfiguration : IEntityTypeConfiguration<SummaryCounter>
{
    public void Configure(EntityTypeBuilder<SummaryCounter> builder)
    {
        builder.ToTable("summary_counters");
        builder.HasKey(c => c.Id);
        SummaryCounterColumns.Configure(builder);
        // The compaction's upsert target; period second so the summary's windows are index ranges.
        builder.HasIndex(c => new { c.Metric, c.Period, c.Dim1, c.Dim2, c.Dim3 }).IsUnique().AreNullsDistinct(false)
            .HasDatabaseName("ux_summary_counters_key");
    }
}

sealed class SummaryCounterDeltaConfiguration : IEntityTypeConfiguration<SummaryCounterDelta>
{
    public void Configure(EntityTypeBuilder<SummaryCounterDelta> builder)
    {
        builder.ToTable("summary_counter_deltas");
        builder.HasKey(c => c.Id);
        SummaryCounterColumns.Configure(builder);
    }
}

static class SummaryCounterColumns
{
    public static void Configure<T>(EntityTypeBuilder<T> builder) where T : class
    {
        builder.Property<long>("Id").UseIdentityAlwaysColumn();
        builder.Property<string>("Metric").HasMaxLength(40);
        foreach (var dim in new[] { "Dim1", "Dim2", "Dim3" })
            builder.Property<string>(dim).HasMaxLength(100);
        // Exact: the mean completion time is their sum over a count, and deltas arrive in any order.
        builder.Property<decimal>("Seconds").HasColumnType("numeric");
    }
}
