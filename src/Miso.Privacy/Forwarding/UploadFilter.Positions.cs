using System.Globalization;
using System.Text.RegularExpressions;

namespace Miso.Privacy.Forwarding;

public static partial class UploadFilter
{
    /// <summary>
    /// Rewrites each <c>data.N</c> in a Miso message (N an index into the forwarded body) to the record's
    /// position in the caller's body, so errors point at what the caller sent.
    /// </summary>
    public static string RemapPositions(string misoMessage, UploadFilterResult result)
    {
        ArgumentNullException.ThrowIfNull(misoMessage);
        ArgumentNullException.ThrowIfNull(result);
        if (result.NothingDropped || !misoMessage.Contains("data.", StringComparison.Ordinal)) return misoMessage;

        var kept = result.KeptOriginalIndexes;
        return DataPosition().Replace(misoMessage, match =>
            int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var forwarded)
            && forwarded < kept.Count
                ? string.Create(CultureInfo.InvariantCulture, $"data.{kept[forwarded]}")
                : match.Value);
    }

    // Not preceded by a name character or a dot, so "metadata.1" and "context.data.1" are left alone.
    [GeneratedRegex(@"(?<![\w.])data\.([0-9]+)(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex DataPosition();
}
