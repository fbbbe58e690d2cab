using System.CommandLine;

namespace Miso.Privacy.Cli.Requests;

/// <summary>
/// <c>lookup &lt;kind&gt; &lt;value&gt;</c>: is this subject suppressed, and which requests name it. The service hashes the value,
/// so it works after the raw ids were purged; the answer names the subject by its hash, and so does this output.
/// </summary>
static class LookupCommand
{
    public static Command Create(CommonOptions common)
    {
        var kind = new Argument<string>("kind") { Description = "user_id or anonymous_id" };
        kind.AcceptOnlyFromAmong(Vocabulary.Kinds);
        var value = new Argument<string>("value") { Description = "The id" };
        var command = new Command("lookup", "Is a subject suppressed, and which requests name it") { kind, value };
        command.SetAction(async (parse, ct) =>
        {
            var id = parse.GetValue(value)!;
            if (string.IsNullOrWhiteSpace(id))
                throw CliFailure.Usage("<value> must not be empty.");
            using var client = common.Connect(parse);
            var subject = (await client.GetAsync($"api/v1/subjects/{parse.GetValue(kind)}/{Uri.EscapeDataString(id)}", ct)).Body;
            if (common.WantsJson(parse))
            {
                CliJson.Write(common.Console.Out, subject);
                return ExitCodes.Success;
            }
            var output = common.Console.Out;
            output.WriteLine($"{subject.Text("kind")} with hash {subject.Text("hash")}");
            output.WriteLine(subject.Flag("suppressed")
                ? $"Suppressed since {subject.Second("suppressed_since")}: uploads naming it are dropped."
                : "Not suppressed.");
            var requests = new Table("REQUEST", "TYPE", "STATUS", "REGULATION", "RECEIVED", "COMPLETED");
            foreach (var r in subject.Items("requests"))
                requests.Add(r.Text("id"), r.Text("type"), r.Text("status"), r.Text("regulation"), r.Minute("received_at"), r.Minute("completed_at"));
            if (requests.Count == 0)
                output.WriteLine("No request names it.");
            else
            {
                output.WriteLine();
                requests.WriteTo(output);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
