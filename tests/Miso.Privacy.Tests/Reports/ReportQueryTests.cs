using Microsoft.AspNetCore.Http;
using Miso.Privacy.Reports;

namespace Miso.Privacy.Tests.Reports;

public sealed class ReportQueryTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    static readonly string[] Formats = ["csv", "json", "html"];

    internal static QueryCollection Query(string query) =>
        new(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query));

    [Fact]
    public void Parse_DefaultsToEverythingUntilNow_InTheFirstFormat()
    {
        var (query, errors) = ReportQuery.Parse(Query(""), Now, Formats);
        Assert.Empty(errors);
        Assert.Equal(new ReportQuery(null, Now, "csv"), query);
    }

    [Fact]
    public void Parse_ReadsDatesAsUtcMidnight_AndDateTimesWithTheirOffset()
    {
        var (query, _) = ReportQuery.Parse(Query("from=2026-01-01&to=2026-02-01T02:00:00%2B02:00&format=html"), Now, Formats);
        Assert.Equal(new ReportQuery(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), "html"), query);
    }

    [Theory]
    [InlineData("format=xml", "format")]
    [InlineData("format=CSV", "format")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-01", "to")]
    [InlineData("from=2026-02-01&to=2026-01-01", "to")]
    [InlineData("from=2026-02-01&to=2026-02-01", "to")]
    [InlineData("limit=5", "limit")]
    [InlineData("format=csv&format=json", "format")]
    public void Parse_RejectsTheQuery_NamingTheParameter(string text, string field)
    {
        var (query, errors) = ReportQuery.Parse(Query(text), Now, Formats);
        Assert.Null(query);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void Parse_AcceptsTheExtraParametersAnExportNames()
    {
        Assert.Empty(ReportQuery.Parse(Query("request_id=x"), Now, Formats, "request_id").Errors);
        Assert.Equal(["request_id"], ReportQuery.Parse(Query("request_id=x"), Now, Formats).Errors.Keys);
    }
}
