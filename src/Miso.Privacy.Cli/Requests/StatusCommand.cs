using System.CommandLine;
using System.Text.Json;

namespace Miso.Privacy.Cli.Requests;

/// <summary><c>status &lt;id&gt;</c>: one request, its clock, its progress per Miso environment and its timeline. Its ids stay out of it.</summary>
static class StatusCommand
{
    public static Command Create(CommonOptions common)
    {
        var id = OptionKinds.Id("id", "The request's id");
        var command = new Command("status", "Show one erasure request: state, deadline, progress per environment, timeline") { id };
        command.SetAction(async (parse, ct) =>
        {
            using var client = common.Connect(parse);
            var request = (await client.GetAsync($"api/v1/erasure-requests/{parse.GetValue(id)}", ct)).Body;
            if (common.WantsJson(parse))
                CliJson.Write(common.Console.Out, request);
            else
                Write(common.Console.Out, request);
            return ExitCodes.Success;
        });
        return command;
    }

    static void Write(TextWriter output, JsonElement r)
    {
        output.WriteLine($"Request {r.Text("id")}: {r.Text("status")}{(r.Flag("overdue") ? ", OVERDUE" : "")}");
        var facts = new Table("", "");
        facts.Add("type", $"{r.Text("type")}, {r.Text("regulation")}");
        facts.Add("requested by", r.Text("requested_by"));
        facts.Add("ticket", r.Text("ticket"));
        facts.Add("reason", r.Text("reason"));
        facts.Add("submitted", r.Second("submitted_at"));
        facts.Add("received", r.Second("received_at"));
        facts.Add("due", r.Text("original_due_at") is null ? r.Second("due_at")
            : $"{r.Second("due_at")} (extended from {r.Second("original_due_at")}: {r.Text("extension_reason")}; told {r.Second("notified_at")})");
        if (r.Text("completed_at") is not null)
            facts.Add("completed", $"{r.Second("completed_at")}, {r.Text("completion_days")} days, {(r.Flag("late") ? "LATE" : "on time")}");
        if (r.Text("cancelled_at") is not null)
            facts.Add("cancelled", $"{r.Second("cancelled_at")}: {r.Text("cancel_reason")}");
        var counts = r.Child("counts");
        facts.Add("subjects", $"{Show.Count(counts.Number("subjects"))} ({Show.Count(counts.Number("user_ids"))} user ids, {Show.Count(counts.Number("anonymous_ids"))} anonymous ids)");
        facts.Add("miso calls", r.Text("miso_calls"));
        facts.WriteTo(output);

        var environments = new Table("ENVIRONMENT", "PENDING", "IN FLIGHT", "RETRYING", "DELETED", "FAILED", "CANCELLED", "LAST ERROR");
        foreach (var e in r.Items("environments"))
            environments.Add(e.Text("environment"), e.Text("pending"), e.Text("in_flight"), e.Text("retrying"), e.Text("deleted"), e.Text("failed"),
                e.Text("cancelled"), e.Text("last_error"));
        if (environments.Count > 0)
        {
            output.WriteLine();
            environments.WriteTo(output);
        }

        var timeline = new Table("SEQ", "AT", "ACTOR", "EVENT");
        foreach (var e in r.Items("timeline"))
            timeline.Add(e.Text("seq"), e.Second("occurred_at"), e.Text("actor"), e.Text("action"));
        output.WriteLine();
        timeline.WriteTo(output);
    }
}
