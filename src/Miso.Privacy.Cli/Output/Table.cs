namespace Miso.Privacy.Cli;

/// <summary>Columns padded to their widest cell, two spaces apart: what <c>kubectl get</c> and <c>gh</c> print.</summary>
sealed class Table(params string[] headers)
{
    readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public void Add(params string?[] cells) => _rows.Add(cells.Select(c => c ?? "-").ToArray());

    public void WriteTo(TextWriter output)
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in _rows.Prepend(headers))
            output.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
    }
}
