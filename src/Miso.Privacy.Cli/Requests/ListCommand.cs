using System.CommandLine;
using System.Text.Json;

namespace Miso.Privacy.Cli.Requests;

/// <summary><c>list</c>: requests newest first, filtered as the API filters them; <c>--all</c> follows every page.</summary>
static class ListCommand
{
    public static Command Create(CommonOptions common)
    {
        var overdue = new Option<bool>("--overdue") { Description = "Only open requests past their (extended) due date" };
        var status = OptionKinds.Choice("--status", "Only requests in this state", null, Vocabulary.Statuses);
        var type = OptionKinds.Choice("--type", "Only requests of this type", null, Vocabulary.Types);
        var regulation = OptionKinds.Choice("--regulation", "Only requests under this regulation", null, Vocabulary.Regulations);
        var ticket = new Option<string>("--ticket") { Description = "Only requests with this ticket reference" };
        var receivedFrom = OptionKinds.Bound("--received-from", "Only requests received at or after");
        var receivedTo = OptionKinds.Bound("--received-to", "Only requests received before");
        var dueBefore = OptionKinds.Bound("--due-before", "Only requests due before");
        var limit = new Option<int>("--limit") { Description = "Requests a page (1-500)", DefaultValueFactory = _ => 50 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 500)
                result.AddError("--limit must be between 1 and 500.");
        });
        var cursor = new Option<string>("--cursor") { Description = "Continue after a previous page (its next_cursor)" };
        var all = new Option<bool>("--all") { Description = "Follow every page to the end" };

        var command = new Command("list", "List erasure requests, newest first")
        {
            overdue, status, type, regulation, ticket, receivedFrom, receivedTo, dueBefore, limit, cursor, all,
        };
        command.SetAction(async (parse, ct) =>
        {
            var query = new List<string>();
            void Add(string name, string? value)
            {
                if (value is not null)
                    query.Add($"{name}={Uri.EscapeDataString(value)}");
            }
            Add("overdue", parse.GetValue(overdue) ? "true" : null);
            Add("status", parse.GetValue(status));
            Add("type", parse.GetValue(type));
            Add("regulation", parse.GetValue(regulation));
            Add("ticket", parse.GetValue(ticket));
            Add("received_from", parse.GetValue(receivedFrom));
            Add("received_to", parse.GetValue(receivedTo));
            Add("due_before", parse.GetValue(dueBefore));
            Add("limit", parse.GetValue(limit).ToString(System.Globalization.CultureInfo.InvariantCulture));

            using var client = common.Connect(parse);
            var items = new List<JsonElement>();
            var next = parse.GetValue(cursor);
            JsonElement page;
            do
            {
                var path = "api/v1/erasure-requests?" + string.Join('&', next is null ? query : query.Append($"cursor={Uri.EscapeDataString(next)}"));
                page = (await client.GetAsync(path, ct)).Body;
                items.AddRange(page.Items("items"));
                next = page.Text("next_cursor");
            }
            while (parse.GetValue(all) && next is not null);

            if (common.WantsJson(parse))
                CliJson.Write(common.Console.Out, new { Items = items, NextCursor = next });
            else
                Write(common.Console, items, next);
            return ExitCodes.Success;
        });
        return command;
    }

    static void Write(CliConsole console, List<JsonElement> items, string? next)
    {
        if (items.Count == 0)
        {
            console.Out.WriteLine("No requests match.");
            return;
        }
        var table = new Table("ID", "STATUS", "TYPE", "REGULATION", "RECEIVED", "DUE", "SUBJECTS", "TICKET");
        foreach (var r in items)
            table.Add(r.Text("id"), r.Text("status"), r.Text("type"), r.Text("regulation"), r.Minute("received_at"),
                r.Minute("due_at") + (r.Flag("overdue") ? " OVERDUE" : ""), Show.Count(r.Child("counts").Number("subjects")), r.Text("ticket"));
        table.WriteTo(console.Out);
        if (next is not null)
            console.Error.WriteLine($"More requests match: add --cursor {next}, or --all for every page.");
    }
}
