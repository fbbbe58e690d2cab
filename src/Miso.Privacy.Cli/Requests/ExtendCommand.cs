using System.CommandLine;
using System.Globalization;

namespace Miso.Privacy.Cli.Requests;

/// <summary><c>extend &lt;id&gt; --reason --notified-at</c>: the one extension the law allows, with its evidence.</summary>
static class ExtendCommand
{
    public static Command Create(CommonOptions common)
    {
        var id = OptionKinds.Id("id", "The request's id");
        var reason = new Option<string>("--reason") { Description = "Why the request needs longer (the person was told this)", Required = true };
        var notifiedAt = OptionKinds.Time("--notified-at", "When the person was told of the extension and why");
        notifiedAt.Required = true;
        var command = new Command("extend", "Extend a request's deadline once (GDPR: two months; CCPA: 45 days)") { id, reason, notifiedAt };
        command.SetAction(async (parse, ct) =>
        {
            var body = new
            {
                Reason = parse.GetValue(reason),
                NotifiedAt = parse.GetValue(notifiedAt)!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
            };
            using var client = common.Connect(parse);
            var request = (await client.SendAsync(HttpMethod.Post, $"api/v1/erasure-requests/{parse.GetValue(id)}/extend", body, null, ct)).Body;
            if (common.WantsJson(parse))
                CliJson.Write(common.Console.Out, request);
            else
                common.Console.Out.WriteLine($"Extended {request.Text("id")}: now due {request.Second("due_at")} (was {request.Second("original_due_at")}).");
            return ExitCodes.Success;
        });
        return command;
    }
}
