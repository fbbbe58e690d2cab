namespace Miso.Privacy.Reports;

/// <summary>
/// Spreadsheets cap a cell at 32,767 characters (Excel, LibreOffice) and silently cut or refuse a longer one.
/// A value that can run longer is written in parts, each in its own row, so opening the file loses nothing.
/// </summary>
public static class SpreadsheetCells
{
    public const int MaxCharacters = 32_767;

    /// <summary>Parts of at most <paramref name="max"/> characters, never splitting a surrogate pair, never starting with a character the CSV writer would escape as a formula (which would change the text).</summary>
    public static IEnumerable<string> Parts(string text, int max = MaxCharacters)
    {
        var start = 0;
        while (text.Length - start > max)
        {
            var end = start + max;
            while (end > start + 1 && (char.IsLowSurrogate(text[end]) || StartsFormula(text[end])))
                end--;
            yield return text[start..end];
            start = end;
        }
        yield return text[start..];
    }

    static bool StartsFormula(char c) => c is '=' or '@' or '+' or '-' or '\t' or '\r';
}
