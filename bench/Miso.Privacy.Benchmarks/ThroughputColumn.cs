using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Miso.Privacy.Benchmarks;

/// <summary>Body megabytes (10^6 bytes) filtered per second, for the benchmarks with a <c>Records</c> parameter.</summary>
sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);
    public string ColumnName => "MB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Body megabytes (10^6 bytes) per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var records = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(FilterBenchmarks.Records))?.Value;
        var meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (records is not int count || meanNs is not > 0) return "-";
        return (BenchData.Body(count).Length / (meanNs.Value / 1e9) / 1e6).ToString("N0");
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}
