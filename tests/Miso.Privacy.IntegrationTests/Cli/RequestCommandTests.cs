using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.IntegrationTests.Dashboard;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Cli;

/// <summary><c>status</c>, <c>list</c>, <c>lookup</c> and <c>extend</c> against the service on real PostgreSQL.</summary>
public sealed class RequestCommandTests(KestrelPrivacyApp app) : IClassFixture<KestrelPrivacyApp>
{
    static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    async Task<string> EraseAsync(params string[] args)
    {
        var run = await app.CliAsync(TestKeys.Writer, ["erase", .. args, "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonDocument.Parse(run.Out).RootElement.GetProperty("requests")[0].Str("id");
    }

    [Fact]
    public async Task Status_ShowsTheRequestWithoutItsIds_AsJsonTheServicesAnswer_AndAnUnknownOrMalformedIdIsRefused()
    {
        var subject = Unique("cli-status");
        var ticket = Unique("ZD");
        var id = await EraseAsync(subject, "--ticket", ticket, "--requested-by", "support:bob", "--reason", "Asked by email");

        var shown = await app.CliAsync(TestKeys.Reader, "status", id);

        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.StartsWith($"Request {id}: pending", shown.Out);
        Assert.Contains("support:bob", shown.Out);
        Assert.Contains(ticket, shown.Out);
        Assert.Contains("1 (1 user ids, 0 anonymous ids)", shown.Out);
        Assert.Contains("request.created", shown.Out);
        Assert.DoesNotContain(subject, shown.Out);

        var json = await app.CliAsync(TestKeys.Reader, "status", id, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var request = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal((id, "pending", ticket), (request.Str("id"), request.Str("status"), request.Str("ticket")));

        var missing = await app.CliAsync(TestKeys.Reader, "status", Guid.NewGuid().ToString());
        Assert.True(missing.ExitCode == 1, missing.ToString());
        Assert.Contains("The service answered 404 Not found.", missing.Error);
        Assert.Contains("id: No erasure request has the id", missing.Error);

        var malformed = await app.CliAsync(TestKeys.Reader, "status", "ZD-1001");
        Assert.True(malformed.ExitCode == 2, malformed.ToString());
        Assert.Contains("<id> must be a UUID", malformed.Error);
    }

    [Fact]
    public async Task List_FiltersByStatusTypeAndOverdue_PagesWithACursor_AndFollowsEveryPageWithAll()
    {
        var ticket = Unique("LIST");
        var overdue = await EraseAsync(Unique("cli-list"), "--ticket", ticket, "--submitted-at", Iso(DateTimeOffset.UtcNow.AddDays(-45)));
        var fresh = await EraseAsync(Unique("cli-list"), "--ticket", ticket);
        var optOut = await EraseAsync(Unique("cli-list"), "--ticket", ticket, "--type", "suppress");

        async Task<List<string>> IdsAsync(params string[] filters)
        {
            var run = await app.CliAsync(TestKeys.Reader, ["list", "--ticket", ticket, "--json", .. filters]);
            Assert.True(run.ExitCode == 0, run.ToString());
            return JsonDocument.Parse(run.Out).RootElement.GetProperty("items").EnumerateArray().Select(r => r.Str("id")).ToList();
        }

        Assert.Equal([optOut, fresh, overdue], await IdsAsync());
        Assert.Equal([optOut], await IdsAsync("--type", "suppress"));
        Assert.Equal([optOut], await IdsAsync("--status", "completed"));
        Assert.Equal([fresh, overdue], await IdsAsync("--status", "pending"));
        Assert.Equal([overdue], await IdsAsync("--overdue"));
        Assert.Equal([overdue], await IdsAsync("--due-before", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.Equal([optOut, fresh, overdue], await IdsAsync("--all", "--limit", "1"));

        var page = await app.CliAsync(TestKeys.Reader, "list", "--ticket", ticket, "--limit", "2");
        Assert.True(page.ExitCode == 0, page.ToString());
        Assert.StartsWith("ID", page.Out);
        Assert.Contains(optOut, page.Out);
        Assert.DoesNotContain(overdue, page.Out);
        Assert.Contains("More requests match: add --cursor ", page.Error);
        var cursor = page.Error.Split("--cursor ")[1].Split(',')[0];
        var next = await app.CliAsync(TestKeys.Reader, "list", "--ticket", ticket, "--limit", "2", "--cursor", cursor);
        Assert.Contains(overdue, next.Out);
        Assert.Contains("OVERDUE", next.Out);
        Assert.Equal("", next.Error);

        foreach (var bad in new[] { new[] { "--status", "done" }, ["--limit", "501"], ["--received-from", "last week"] })
        {
            var run = await app.CliAsync(TestKeys.Reader, ["list", .. bad]);
            Assert.True(run.ExitCode == 2, run.ToString());
        }
    }

    [Fact]
    public async Task Lookup_SaysWhetherASubjectIsSuppressed_AndWhichRequestsNameIt_ByItsHash()
    {
        var subject = Unique("cli-lookup") + "/with/slashes";
        var id = await EraseAsync(subject);

        var found = await app.CliAsync(TestKeys.Reader, "lookup", "user_id", subject);

        Assert.True(found.ExitCode == 0, found.ToString());
        Assert.Contains("Suppressed since", found.Out);
        Assert.Contains(id, found.Out);
        Assert.DoesNotContain(subject, found.Out);
        var json = JsonDocument.Parse((await app.CliAsync(TestKeys.Reader, "lookup", "user_id", subject, "--json")).Out).RootElement;
        Assert.True(json.GetProperty("suppressed").GetBoolean());

        var unknown = await app.CliAsync(TestKeys.Reader, "lookup", "anonymous_id", Unique("never-asked"));
        Assert.True(unknown.ExitCode == 0, unknown.ToString());
        Assert.Contains("Not suppressed.", unknown.Out);
        Assert.Contains("No request names it.", unknown.Out);

        Assert.Equal(2, (await app.CliAsync(TestKeys.Reader, "lookup", "email", "a@example.com")).ExitCode);
    }

    [Fact]
    public async Task Extend_MovesTheDeadlineOnce_AndASecondExtensionIsRefusedWithTheRuleItBreaks()
    {
        var id = await EraseAsync(Unique("cli-extend"), "--submitted-at", Iso(DateTimeOffset.UtcNow.AddDays(-10)));
        await using var db = app.NewDb();
        var before = await db.ErasureRequests.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(id));

        var extended = await app.CliAsync(TestKeys.Writer, "extend", id, "--reason", "40 linked accounts", "--notified-at", Iso(DateTimeOffset.UtcNow.AddDays(-1)));

        Assert.True(extended.ExitCode == 0, extended.ToString());
        Assert.StartsWith($"Extended {id}: now due ", extended.Out);
        var after = await db.ErasureRequests.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(id));
        Assert.Equal(before.DueAt, after.OriginalDueAt);
        Assert.True(after.DueAt > before.DueAt.AddDays(55), $"{before.DueAt} -> {after.DueAt}");
        Assert.Equal("40 linked accounts", after.ExtensionReason);

        var again = await app.CliAsync(TestKeys.Writer, "extend", id, "--reason", "more", "--notified-at", Iso(DateTimeOffset.UtcNow.AddHours(-1)));
        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Contains("409", again.Error);
        Assert.Contains("extended_at:", again.Error);

        Assert.Equal(2, (await app.CliAsync(TestKeys.Writer, "extend", id, "--notified-at", Iso(DateTimeOffset.UtcNow))).ExitCode);
        Assert.Equal(2, (await app.CliAsync(TestKeys.Writer, "extend", id, "--reason", "r", "--notified-at", "soon")).ExitCode);
        Assert.Equal(after.DueAt, (await db.ErasureRequests.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(id))).DueAt);
    }
}
