using System.Text;
using Miso.Privacy.Cli;
using Miso.Privacy.Cli.Erase;

namespace Miso.Privacy.Tests.Cli;

/// <summary>Where <c>erase</c> reads ids from, and what it refuses before sending anything: problems name the line, never the id.</summary>
public sealed class SubjectInputTests
{
    static string Write(string name, string text, bool bom = false)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("miso-privacy-cli-input-").FullName, name);
        File.WriteAllText(file, text, new UTF8Encoding(bom));
        return file;
    }

    [Fact]
    public void Csv_FromASpreadsheetInAnyLocale_ReadsTheNamedColumn()
    {
        var file = Write("export.csv", "Email;User ID;Note\r\na@example.com;u-1;\"one; two\"\r\nb@example.com; u-2 ;\r\n\r\nc@example.com;\"u;3\";x\r\n", bom: true);

        var ids = SubjectInput.FromCsv(file, "user id");

        Assert.Equal(["u-1", " u-2 ", "u;3"], ids.Select(i => i.Value));
        Assert.Equal($"{file}:2", ids[0].Origin);
        Assert.Equal(["u-1", "u-2", "u;3"], SubjectSet.Normalise(ids, "user_id").Ids);
    }

    [Fact]
    public void Csv_WithoutTheColumn_OrWithSeveralAndNoneNamed_IsAUsageError_ListingItsColumns()
    {
        var file = Write("people.csv", "email,user\na@example.com,u1\n");
        var several = Assert.Throws<CliFailure>(() => SubjectInput.FromCsv(file, null));
        Assert.Equal((ExitCodes.Usage, $"{file} has several columns ('email', 'user'): say which holds the ids with --column."),
            (several.ExitCode, several.Message));
        var missing = Assert.Throws<CliFailure>(() => SubjectInput.FromCsv(file, "id"));
        Assert.Contains("its columns are 'email', 'user'", missing.Message);
        Assert.Equal(["u1"], SubjectInput.FromCsv(Write("one.csv", "user\nu1\n"), null).Select(i => i.Value));
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliFailure>(() => SubjectInput.FromCsv(Write("empty.csv", ""), "user")).ExitCode);
    }

    [Fact]
    public void TextFile_SkipsBlankLines_AndProblemsNameTheLineAndNotTheId()
    {
        var secret = "a-person's-id-" + new string('x', 600);
        var file = Write("ids.txt", $"one\r\n\r\n  \r\n{secret}\r\ntwo\0three\r\n");

        var (ids, problems) = SubjectSet.Normalise(SubjectInput.FromTextFile(file, TextReader.Null), "user_id");

        Assert.Equal(["one"], ids);
        Assert.Equal([$"{file}:4: the id is longer than 512 characters, Miso's limit for a user_id.", $"{file}:5: the id contains a NUL character or invalid UTF-16."],
            problems);
        Assert.DoesNotContain(SubjectSet.Normalise(SubjectInput.FromTextFile(file, TextReader.Null), "anonymous_id").Problems, p => p.Contains(":4:"));
    }

    [Fact]
    public void Arguments_MayNotBeBlank_OrHoldALoneSurrogate_AndProblemsAreCappedAtTen()
    {
        var (_, problems) = SubjectSet.Normalise(SubjectInput.FromArguments(["ok", " ", "bad\uD800"]), "user_id");
        Assert.Equal(["argument 2: the id is empty.", "argument 3: the id contains a NUL character or invalid UTF-16."], problems);

        var many = SubjectSet.Normalise(SubjectInput.FromArguments(Enumerable.Repeat("", 25)), "user_id").Problems;
        Assert.Equal(11, many.Count);
        Assert.Equal("... and 15 more.", many[^1]);
    }
}
