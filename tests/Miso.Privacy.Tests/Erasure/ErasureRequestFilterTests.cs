using Miso.Privacy.Erasure;
using static Miso.Privacy.Tests.Reports.ReportQueryTests;

namespace Miso.Privacy.Tests.Erasure;

public sealed class ErasureRequestFilterTests
{
    [Fact]
    public void Parse_ReadsEveryFilter()
    {
        var (filter, errors) = ErasureRequestFilter.Parse(Query(
            "status=in_progress&regulation=ccpa&ticket=ZD-1&received_from=2026-01-01&received_to=2026-02-01T00:00:00Z&overdue=true&limit=500&cursor=42"));
        Assert.Empty(errors);
        Assert.Equal(new ErasureRequestFilter(RequestStatus.InProgress, Regulation.Ccpa, "ZD-1",
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), true, 500, 42), filter);
    }

    [Fact]
    public void Parse_ReadsTheTypeAndDueBeforeFilters()
    {
        var (filter, errors) = ErasureRequestFilter.Parse(Query("type=suppress&due_before=2026-03-01T12:00:00%2B01:00&regulation=uk_gdpr"));
        Assert.Empty(errors);
        Assert.Equal(RequestType.Suppress, filter!.Type);
        Assert.Equal(Regulation.UkGdpr, filter.Regulation);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero), filter.DueBefore);
    }

    [Fact]
    public void Parse_DefaultsToFiftyOfEverything() =>
        Assert.Equal(new ErasureRequestFilter(null, null, null, null, null, false, 50, null), ErasureRequestFilter.Parse(Query("")).Filter);

    [Theory]
    [InlineData("status=open", "status")]
    [InlineData("status=Pending", "status")]
    [InlineData("status=0", "status")]
    [InlineData("regulation=hipaa", "regulation")]
    [InlineData("received_from=yesterday", "received_from")]
    [InlineData("received_to=2026-02-30", "received_to")]
    [InlineData("overdue=yes", "overdue")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=+5", "limit")]
    [InlineData("cursor=-1", "cursor")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("page=2", "page")]
    [InlineData("status=pending&status=failed", "status")]
    [InlineData("type=opt_out", "type")]
    [InlineData("type=Erase", "type")]
    [InlineData("due_before=soon", "due_before")]
    [InlineData("due_before=2026-02-30", "due_before")]
    public void Parse_RejectsTheQuery_NamingTheParameter(string text, string field)
    {
        var (filter, errors) = ErasureRequestFilter.Parse(Query(text));
        Assert.Null(filter);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void Parse_ListsTheChoices_InTheApisOwnText()
    {
        var (_, errors) = ErasureRequestFilter.Parse(Query("status=x&regulation=y"));
        Assert.Equal(["Must be one of pending, in_progress, completed, failed, cancelled."], errors["status"]);
        Assert.Equal(["Must be one of gdpr, uk_gdpr, ccpa, other."], errors["regulation"]);
    }

    [Fact]
    public void OpenStatuses_AreTheSameInCSharpAndSql()
    {
        Assert.Equal([RequestStatus.Pending, RequestStatus.InProgress, RequestStatus.Failed], OpenStatuses.All);
        Assert.Equal("('pending', 'in_progress', 'failed')", OpenStatuses.Sql);
        Assert.All(Enum.GetValues<RequestStatus>(), s => Assert.Equal(OpenStatuses.All.Contains(s), new ErasureRequest
            { RequestedBy = "t", CreatedBy = "t", Status = s }.IsOpen));
    }
}
