using CsvHelper;

namespace Miso.Privacy.Cli.Erase;

/// <summary>
/// One id as given, with where it came from, so a problem can name the line instead of repeating the id. A blank line
/// of a file is nothing; a blank argument is a mistake.
/// </summary>
sealed record InputId(string Value, string Origin, bool BlankIsSkipped = true);

/// <summary>Where ids come from: arguments, a text file (one a line; <c>-</c> for stdin), or one column of a CSV file.</summary>
static class SubjectInput
{
    public static IEnumerable<InputId> FromArguments(IEnumerable<string> values) =>
        values.Select((value, i) => new InputId(value, $"argument {i + 1}", BlankIsSkipped: false));

    public static List<InputId> FromTextFile(string path, TextReader stdin)
    {
        var ids = new List<InputId>();
        var name = path == "-" ? "stdin" : path;
        using var reader = path == "-" ? null : Open(path, p => new StreamReader(p, detectEncodingFromByteOrderMarks: true));
        var source = reader ?? stdin;
        var line = 0;
        for (var text = source.ReadLine(); text is not null; text = source.ReadLine())
            ids.Add(new InputId(text, $"{name}:{++line}"));
        return ids;
    }

    /// <summary>
    /// The column named <paramref name="column"/> of a CSV file with a header row (an exact match, else ignoring case and
    /// surrounding spaces). The separator is detected, since spreadsheets in many locales export with semicolons.
    /// </summary>
    public static List<InputId> FromCsv(string path, string? column)
    {
        using var csv = CsvReader.Create(Open(path, File.OpenRead), new CsvReaderOptions { TrackLineNumbers = true, IncludeValuesInExceptions = false });
        var ids = new List<InputId>();
        try
        {
            var headers = csv.Headers.ToArray();
            if (headers.Length == 0 || headers is [""])
                throw CliFailure.Usage($"{path} has no header row: its first row must name the columns.");
            var index = Column(csv, headers, column, path);
            while (csv.Read())
                ids.Add(new InputId(csv.GetString(index), $"{path}:{csv.LineNumber}"));
        }
        catch (CsvFormatException e)
        {
            throw CliFailure.Usage($"{path} is not a CSV file this client can read (line {e.LineNumber}).");
        }
        return ids;
    }

    static int Column(CsvReader csv, string[] headers, string? column, string path)
    {
        var named = string.Join(", ", headers.Select(h => $"'{h}'"));
        if (column is null)
            return headers.Length == 1 ? 0 : throw CliFailure.Usage($"{path} has several columns ({named}): say which holds the ids with --column.");
        return csv.TryGetFieldIndex(column, out var index) ? index : throw CliFailure.Usage($"{path} has no column '{column}'; its columns are {named}.");
    }

    static T Open<T>(string path, Func<string, T> open)
    {
        try
        {
            return open(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliFailure.Usage($"Cannot read {path}: {e.Message}");
        }
    }
}
