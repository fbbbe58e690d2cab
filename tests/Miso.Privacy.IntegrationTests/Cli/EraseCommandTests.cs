using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Erasure;
using Miso.Privacy.IntegrationTests.Dashboard;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Cli;

/// <summary>
/// <c>miso-privacy erase</c> against the service on real PostgreSQL: what it files (read back from the tables), what a
/// second run of the same command files (nothing), and what it refuses before sending anything.
/// </summary>
public sealed class EraseCommandTests(KestrelPrivacyApp app) : IClassFixture<KestrelPrivacyApp>
{
    async Task<List<ErasureRequest>> FiledAsync(string ticket)
    {
        await using var db = app.NewDb();
        return await db.ErasureRequests.AsNoTracking().Include(r => r.Subjects).Where(r => r.Ticket == ticket).OrderBy(r => r.Number).ToListAsync();
    }

    static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task Erase_FromArguments_FilesOneRequest_TheSameIdsAgainReplayIt_AndAnotherOptionFilesAnother()
    {
        var (one, two, ticket) = (Unique("cli-u"), Unique("cli-u"), Unique("ZD"));

        var first = await app.CliAsync(TestKeys.Writer, "erase", one, two, "--ticket", ticket, "--requested-by", "support:alice", "--regulation", "ccpa");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("", first.Error);
        Assert.Contains("1 request for 2 subjects: 1 filed now, 0 filed before.", first.Out);
        var request = Assert.Single(await FiledAsync(ticket));
        Assert.Equal((Regulation.Ccpa, RequestType.Erase, "support:alice", "support-writer"), (request.Regulation, request.Type, request.RequestedBy, request.CreatedBy));
        Assert.Equal(new[] { one, two }.Order(StringComparer.Ordinal), request.Subjects.Select(s => s.Value!).Order(StringComparer.Ordinal));
        Assert.StartsWith("miso-privacy-cli-v1-", request.IdempotencyKey);
        Assert.Contains(request.Id.ToString(), first.Out);

        // Reordered, repeated, padded: the same set of ids, so the same request.
        var again = await app.CliAsync(TestKeys.Writer, "erase", $"  {two} ", one, two, "--ticket", ticket, "--requested-by", "support:alice", "--regulation", "ccpa");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("0 filed now, 1 filed before.", again.Out);
        Assert.Contains(request.Id.ToString(), again.Out);
        Assert.Single(await FiledAsync(ticket));

        var otherRegulation = await app.CliAsync(TestKeys.Writer, "erase", one, two, "--ticket", ticket, "--requested-by", "support:alice", "--regulation", "gdpr");
        Assert.True(otherRegulation.ExitCode == 0, otherRegulation.ToString());
        Assert.Equal(2, (await FiledAsync(ticket)).Count);
    }

    [Fact]
    public async Task Erase_FromATextFile_SkipsBlankLinesAndDuplicates_AndTheSameIdsOnStdinReplayIt()
    {
        var (a, b, ticket) = (Unique("cli-f"), Unique("cli-f"), Unique("ZD"));
        var folder = CliHost.TempFolder();
        var file = Path.Combine(folder, "ids.txt");
        await File.WriteAllTextAsync(file, $"{a}\r\n   {b}  \r\n\r\n{a}\n");

        var filed = await app.CliAsync(TestKeys.Writer, "erase", "--file", file, "--ticket", ticket, "--type", "suppress", "--json");

        Assert.True(filed.ExitCode == 0, filed.ToString());
        var answer = JsonDocument.Parse(filed.Out).RootElement;
        Assert.Equal(2, answer.GetProperty("subjects").GetInt32());
        var only = Assert.Single(answer.GetProperty("requests").EnumerateArray());
        Assert.Equal(("completed", "suppress", 2, false), (only.Str("status"), only.Str("type"), only.GetProperty("subjects").GetInt32(), only.GetProperty("replayed").GetBoolean()));
        var request = Assert.Single(await FiledAsync(ticket));
        Assert.Equal(request.Id.ToString(), only.Str("id"));
        Assert.Equal(request.IdempotencyKey, only.Str("idempotency_key"));

        var piped = await app.CliAsync(TestKeys.Writer, ["erase", "--file", "-", "--ticket", ticket, "--type", "suppress", "--json"], stdin: $"{b}\n{a}\n");
        Assert.True(piped.ExitCode == 0, piped.ToString());
        Assert.True(JsonDocument.Parse(piped.Out).RootElement.GetProperty("requests")[0].GetProperty("replayed").GetBoolean());
        Assert.Single(await FiledAsync(ticket));
    }

    [Fact]
    public async Task Erase_From25000IdsInACsvColumn_FilesThreeRequests_AndRunningItAgainFilesNothingNew()
    {
        var ticket = Unique("BULK");
        var ids = Enumerable.Range(0, 25_000).Select(i => $"bulk-{ticket}-{i:D5}").ToList();
        var csv = new StringBuilder("email;user_id;note\n");
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
            csv.Append($"p{i}@example.com;{id};\"likes; semicolons\"\n");
        var file = Path.Combine(CliHost.TempFolder(), "export.csv");
        await File.WriteAllTextAsync(file, csv.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        string[] command = ["erase", "--csv", file, "--column", "user_id", "--ticket", ticket, "--json"];

        var first = await app.CliAsync(TestKeys.Writer, command);

        Assert.True(first.ExitCode == 0, first.ToString());
        var requests = JsonDocument.Parse(first.Out).RootElement.GetProperty("requests").EnumerateArray().ToList();
        Assert.Equal([10_000, 10_000, 5_000], requests.Select(r => r.GetProperty("subjects").GetInt32()));
        Assert.All(requests, r => Assert.False(r.GetProperty("replayed").GetBoolean()));
        var filed = await FiledAsync(ticket);
        Assert.Equal(3, filed.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), filed.SelectMany(r => r.Subjects).Select(s => s.Value!).Order(StringComparer.Ordinal));
        Assert.Equal(3, filed.Select(r => r.IdempotencyKey).Distinct().Count());

        var second = await app.CliAsync(TestKeys.Writer, command);

        Assert.True(second.ExitCode == 0, second.ToString());
        var replayed = JsonDocument.Parse(second.Out).RootElement.GetProperty("requests").EnumerateArray().ToList();
        Assert.All(replayed, r => Assert.True(r.GetProperty("replayed").GetBoolean()));
        Assert.Equal(requests.Select(r => r.Str("id")), replayed.Select(r => r.Str("id")));
        Assert.Equal(3, (await FiledAsync(ticket)).Count);
    }

    [Fact]
    public async Task Erase_AtATerminal_DrawsAProgressBarOnStderr_ThatNamesNoId()
    {
        var ids = Enumerable.Range(0, 3).Select(_ => Unique("cli-progress")).ToArray();

        var run = await app.CliAsync(TestKeys.Writer, ["erase", .. ids], terminal: true);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("] 3/3 subjects, request 1 of 1", run.Error);
        Assert.Contains("[##############################]", run.Error);
        Assert.All(ids, id => Assert.DoesNotContain(id, run.Error));
        Assert.All(ids, id => Assert.DoesNotContain(id, run.Out));

        var quiet = await app.CliAsync(TestKeys.Writer, ["erase", .. ids, "--no-progress"], terminal: true);
        Assert.Equal((0, ""), (quiet.ExitCode, quiet.Error));
    }

    [Fact]
    public async Task Erase_RefusesInputItCannotSend_WithExit2_NamingTheLineNotTheId_AndFilesNothing()
    {
        var before = await app.CountAsync("erasure_requests");
        var folder = CliHost.TempFolder();
        var tooLong = new string('x', 513);
        var file = Path.Combine(folder, "ids.txt");
        await File.WriteAllTextAsync(file, $"fine-1\nfine-2\n{tooLong}\n");
        var csv = Path.Combine(folder, "people.csv");
        await File.WriteAllTextAsync(csv, "email,user\na@example.com,u1\n");

        var longId = await app.CliAsync(TestKeys.Writer, "erase", "--file", file);
        Assert.Equal(2, longId.ExitCode);
        Assert.Contains($"{file}:3: the id is longer than 512 characters", longId.Error);
        Assert.DoesNotContain(tooLong, longId.Error);

        foreach (var (args, expected) in new (string[], string)[]
        {
            (["erase"], "No subject ids"),
            (["erase", "ok", ""], "argument 2: the id is empty"),
            (["erase", "--csv", csv], "has several columns ('email', 'user')"),
            (["erase", "--csv", csv, "--column", "user_id"], "has no column 'user_id'; its columns are 'email', 'user'"),
            (["erase", "--file", Path.Combine(folder, "missing.txt")], "Cannot read"),
            (["erase", "x", "--column", "user"], "--column goes with --csv"),
            (["erase", "x", "--type", "forget"], "forget"),
            (["erase", "x", "--regulation", "hipaa"], "hipaa"),
            (["erase", "x", "--submitted-at", "yesterday"], "--submitted-at must be a date-time"),
            (["erase", "x", "--kind", "email"], "email"),
        })
        {
            var run = await app.CliAsync(TestKeys.Writer, args);
            Assert.True(run.ExitCode == 2, $"{string.Join(' ', args)}: {run}");
            Assert.Contains(expected, run.Error);
            Assert.Equal("", run.Out);
        }
        Assert.Equal(before, await app.CountAsync("erasure_requests"));
    }

    [Fact]
    public async Task Erase_ARefusalFromTheService_IsExit1_ShowingTheProblemsFields_AndAKeyWithoutTheScope_IsExit3()
    {
        var before = await app.CountAsync("erasure_requests");

        var refused = await app.CliAsync(TestKeys.Writer, "erase", "--type", "delete", "--kind", "anonymous_id", Unique("anon"));
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("The service answered 400 One or more validation errors occurred.", refused.Error);
        Assert.Contains("anonymous_ids: A delete request cannot name anonymous ids", refused.Error);

        var readOnly = await app.CliAsync(TestKeys.Reader, "erase", Unique("cli-scope"));
        Assert.True(readOnly.ExitCode == 3, readOnly.ToString());
        Assert.Contains("403", readOnly.Error);

        var unknown = await app.CliAsync(new TestKey("nobody", "not-a-key", []), "erase", Unique("cli-scope"));
        Assert.True(unknown.ExitCode == 3, unknown.ToString());
        Assert.Contains("401", unknown.Error);

        Assert.Equal(before, await app.CountAsync("erasure_requests"));
    }
}
