using System.Text;

namespace Miso.Privacy.Cli.Reports;

/// <summary>
/// A report's manifest as the service writes it: <c>key=value</c> lines, each ending in <c>\n</c>, the last one
/// <c>signature=</c>, which signs every byte before it. Kept as bytes: what is verified is exactly what was received.
/// </summary>
sealed class Manifest
{
    readonly Dictionary<string, string> _fields;

    Manifest(byte[] signed, Dictionary<string, string> fields)
    {
        Signed = signed;
        _fields = fields;
    }

    /// <summary>The bytes the signature covers: every line but the last.</summary>
    public byte[] Signed { get; }

    public string? this[string name] => _fields.GetValueOrDefault(name);

    /// <summary>Null and why when the bytes are not a manifest (a repeated field would let a reader pick which one counts).</summary>
    public static (Manifest? Manifest, string? Problem) Parse(byte[] bytes)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return (null, "the manifest is not UTF-8 text");
        }
        if (text.Length < 2 || !text.EndsWith('\n'))
            return (null, "the manifest does not end with a line break, so it was cut short or changed");
        var lastLine = text.LastIndexOf('\n', text.Length - 2) + 1;
        if (!text.AsSpan(lastLine).StartsWith("signature="))
            return (null, "the manifest's last line is not its signature");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text[..^1].Split('\n'))
        {
            var equals = line.IndexOf('=');
            if (equals <= 0)
                return (null, $"the manifest has a line that is not key=value: '{Shorten(line)}'");
            if (!fields.TryAdd(line[..equals], line[(equals + 1)..]))
                return (null, $"the manifest names {line[..equals]} twice");
        }
        return (new Manifest(Encoding.UTF8.GetBytes(text[..lastLine]), fields), null);
    }

    static string Shorten(string line) => line.Length <= 40 ? line : line[..40] + "…";
}
