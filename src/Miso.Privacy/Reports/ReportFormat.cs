using System.Globalization;

namespace Miso.Privacy.Reports;

public static class ReportFormat
{
    /// <summary>UTC to the microsecond, as PostgreSQL keeps it and as the audit chain hashes it.</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? time) => time is { } t ? Time(t) : null;

    public static string Hex(byte[]? bytes) => bytes is null ? "" : Convert.ToHexStringLower(bytes);
}
