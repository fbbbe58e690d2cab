using System.Globalization;
using System.Text.RegularExpressions;

namespace Miso.Emulator.Interactions;

static partial class Formats
{
    public static bool IsDateTime(string text) =>
        DateTimePattern().IsMatch(text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    public static bool IsUuid(string text) =>
        Guid.TryParseExact(text, "D", out _) || Guid.TryParseExact(text, "N", out _);

    public static bool IsIPv4(string text) => IPv4Pattern().IsMatch(text);

    // ISO-8601 / RFC 3339 date and time; the zone is optional because Miso also accepts naive timestamps.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?([Zz]|[+-]\d{2}:?\d{2})?$")]
    private static partial Regex DateTimePattern();

    [GeneratedRegex(@"^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$")]
    private static partial Regex IPv4Pattern();
}
