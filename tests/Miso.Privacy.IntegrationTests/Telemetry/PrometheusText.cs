using System.Globalization;
using System.Text.RegularExpressions;

namespace Miso.Privacy.IntegrationTests.Telemetry;

public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>Just enough of the Prometheus text format to find a series and read its value.</summary>
public static partial class PrometheusText
{
    public static List<Sample> Parse(string text) =>
        text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => SampleLine().Match(l)).Where(m => m.Success)
            .Select(m => new Sample(m.Groups["name"].Value,
                LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(p => p.Groups[1].Value, p => p.Groups[2].Value),
                double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)))
            .ToList();

    public static IEnumerable<Sample> Named(this IEnumerable<Sample> samples, string name, params (string Label, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Label) == l.Value));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
