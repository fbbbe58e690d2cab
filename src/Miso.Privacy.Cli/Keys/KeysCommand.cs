using System.CommandLine;
using System.Globalization;

namespace Miso.Privacy.Cli.Keys;

/// <summary>
/// <c>keys create|list|revoke</c> (an admin key). A created key is printed once, alone on stdout, so
/// <c>miso-privacy keys create dashboard --scope erasure:read &gt; key.txt</c> keeps it and nothing else.
/// </summary>
static class KeysCommand
{
    public static Command Create(CommonOptions common) => new("keys", "Create, list and revoke API keys (admin)")
    {
        CreateKey(common),
        List(common),
        Revoke(common),
    };

    static Command CreateKey(CommonOptions common)
    {
        var name = new Argument<string>("name") { Description = "The key's name: the audit actor of what it does (lowercase letters, digits, . _ -)" };
        var scopes = new Option<string[]>("--scope") { Description = "A scope to grant (repeat for more)", Required = true };
        scopes.AcceptOnlyFromAmong(Vocabulary.Scopes);
        var expiresAt = OptionKinds.Time("--expires-at", "When the key stops working [default: never]");
        var command = new Command("create", "Create an API key; it is shown this once") { name, scopes, expiresAt };
        command.SetAction(async (parse, ct) =>
        {
            var body = new
            {
                Name = parse.GetValue(name),
                Scopes = parse.GetValue(scopes),
                ExpiresAt = parse.GetValue(expiresAt)?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
            };
            using var client = common.Connect(parse);
            var key = (await client.SendAsync(HttpMethod.Post, "api/v1/keys", body, null, ct)).Body;
            if (common.WantsJson(parse))
            {
                CliJson.Write(common.Console.Out, key);
                return ExitCodes.Success;
            }
            common.Console.Out.WriteLine(key.Text("key"));
            common.Console.Error.WriteLine($"Created key {key.Text("name")} (id {key.Text("id")}, scopes {key.Text("scopes")}, "
                + $"expires {key.Second("expires_at") ?? "never"}). This is the only time it is shown: store it now.");
            return ExitCodes.Success;
        });
        return command;
    }

    static Command List(CommonOptions common)
    {
        var command = new Command("list", "Every key, configured and created, revoked and expired included; never a secret");
        command.SetAction(async (parse, ct) =>
        {
            using var client = common.Connect(parse);
            var keys = (await client.GetAsync("api/v1/keys", ct)).Body;
            if (common.WantsJson(parse))
            {
                CliJson.Write(common.Console.Out, keys);
                return ExitCodes.Success;
            }
            var table = new Table("ID", "NAME", "SCOPES", "PREFIX", "CREATED", "EXPIRES", "LAST USED", "REVOKED", "SOURCE");
            foreach (var k in keys.Items("data"))
                table.Add(k.Text("id"), k.Text("name"), k.Text("scopes"), k.Text("prefix"), k.Minute("created_at"), k.Minute("expires_at"),
                    k.Minute("last_used_at"), k.Minute("revoked_at"), k.Text("source"));
            table.WriteTo(common.Console.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Revoke(CommonOptions common)
    {
        var id = new Argument<string>("id") { Description = "The key's id, as keys list shows it" };
        var command = new Command("revoke", "Revoke a created key: refused everywhere within a second") { id };
        command.SetAction(async (parse, ct) =>
        {
            using var client = common.Connect(parse);
            await client.SendAsync(HttpMethod.Delete, $"api/v1/keys/{Uri.EscapeDataString(parse.GetValue(id)!)}", null, null, ct);
            if (common.WantsJson(parse))
                CliJson.Write(common.Console.Out, new { Id = parse.GetValue(id), Revoked = true });
            else
                common.Console.Out.WriteLine($"Revoked {parse.GetValue(id)}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
