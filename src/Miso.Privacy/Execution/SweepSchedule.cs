using System.Globalization;

namespace Miso.Privacy.Execution;

public static class SweepSchedule
{
    public const int MaxSweeps = 20;

    /// <summary>The offsets of <see cref="ExecutionOptions.Sweeps"/>, or null when they are not ascending positive durations.</summary>
    public static IReadOnlyList<TimeSpan>? Parse(string? text)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
            trimmed = trimmed[1..^1];
        if (trimmed.Trim().Length == 0)
            return [];
        var offsets = new List<TimeSpan>();
        foreach (var part in trimmed.Split(','))
        {
            if (!TimeSpan.TryParse(part.Trim().Trim('"'), CultureInfo.InvariantCulture, out var offset) || offset <= TimeSpan.Zero
                || (offsets.Count > 0 && offset <= offsets[^1]))
                return null;
            offsets.Add(offset);
        }
        return offsets.Count <= MaxSweeps ? offsets : null;
    }
}
