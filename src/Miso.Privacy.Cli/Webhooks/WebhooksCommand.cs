using System.CommandLine;

namespace Miso.Privacy.Cli.Webhooks;

/// <summary>
/// <c>webhooks add|list|remove|deliveries|redeliver</c> (an admin key): status callbacks signed per Standard Webhooks.
/// The secret of a new webhook is printed once, alone on stdout. Lists are shown with the fields the service sends.
/// </summary>
static class WebhooksCommand
{
    public static Command Create(CommonOptions common) => new("webhooks", "Manage signed status webhooks (admin)")
    {
        Add(common),
        List(common),
        Remove(common),
        Deliveries(common),
        Redeliver(common),
    };

    static Command Add(CommonOptions common)
    {
        var url = new Argument<string>("url") { Description = "Where events are POSTed (http or https)" };
        url.Validators.Add(result =>
        {
            var text = result.Tokens.Single().Value;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
                result.AddError($"<url> must be an absolute http(s) URL; got '{text}'.");
        });
        var events = new Option<string[]>("--event")
        {
            Description = "An event to send (repeat for more): request.created, request.in_progress, request.completed, request.failed, "
                + "request.cancelled, request.extended",
            Required = true,
        };
        var command = new Command("add", "Subscribe a URL to request events; prints its signing secret once") { url, events };
        command.SetAction(async (parse, ct) =>
        {
            using var client = common.Connect(parse);
            var hook = (await client.SendAsync(HttpMethod.Post, "api/v1/webhooks", new { Url = parse.GetValue(url), Events = parse.GetValue(events) }, null, ct)).Body;
            if (common.WantsJson(parse))
            {
                CliJson.Write(common.Console.Out, hook);
                return ExitCodes.Success;
            }
            common.Console.Out.WriteLine(hook.Text("secret"));
            common.Console.Error.WriteLine($"Added webhook {hook.Text("id")} for {hook.Text("url")} ({hook.Text("events")}). "
                + "The secret above signs its deliveries and is shown only this once: store it now.");
            return ExitCodes.Success;
        });
        return command;
    }

    static Command List(CommonOptions common) =>
        Show(common, new Command("list", "Every webhook"), _ => "api/v1/webhooks", "No webhooks.");

    static Command Remove(CommonOptions common)
    {
        var id = new Argument<string>("id") { Description = "The webhook's id" };
        var command = new Command("remove", "Remove a webhook") { id };
        command.SetAction(async (parse, ct) =>
        {
            using var client = common.Connect(parse);
            await client.SendAsync(HttpMethod.Delete, $"api/v1/webhooks/{Uri.EscapeDataString(parse.GetValue(id)!)}", null, null, ct);
            if (common.WantsJson(parse))
                CliJson.Write(common.Console.Out, new { Id = parse.GetValue(id), Removed = true });
            else
                common.Console.Out.WriteLine($"Removed webhook {parse.GetValue(id)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Deliveries(CommonOptions common)
    {
        var id = new Argument<string>("id") { Description = "The webhook's id" };
        return Show(common, new Command("deliveries", "A webhook's deliveries: attempts, status codes and times") { id },
            parse => $"api/v1/webhooks/{Uri.EscapeDataString(parse.GetValue(id)!)}/deliveries", "No deliveries yet.");
    }

    static Command Redeliver(CommonOptions common)
    {
        var id = new Argument<string>("id") { Description = "The webhook's id" };
        var delivery = new Argument<string>("delivery-id") { Description = "The delivery to send again" };
        var command = new Command("redeliver", "Send one delivery again") { id, delivery };
        command.SetAction(async (parse, ct) =>
        {
            using var client = common.Connect(parse);
            var reply = await client.SendAsync(HttpMethod.Post,
                $"api/v1/webhooks/{Uri.EscapeDataString(parse.GetValue(id)!)}/deliveries/{Uri.EscapeDataString(parse.GetValue(delivery)!)}/redeliver", null, null, ct);
            if (common.WantsJson(parse))
                CliJson.Write(common.Console.Out, reply.HasBody ? reply.Body : default);
            else
                common.Console.Out.WriteLine($"Delivery {parse.GetValue(delivery)} will be sent again.");
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Show(CommonOptions common, Command command, Func<ParseResult, string> path, string empty)
    {
        command.SetAction(async (parse, ct) =>
        {
            using var client = common.Connect(parse);
            var body = (await client.GetAsync(path(parse), ct)).Body;
            if (common.WantsJson(parse))
                CliJson.Write(common.Console.Out, body);
            else
                GenericTable.Write(common.Console.Out, GenericTable.ItemsOf(body), empty);
            return ExitCodes.Success;
        });
        return command;
    }
}
