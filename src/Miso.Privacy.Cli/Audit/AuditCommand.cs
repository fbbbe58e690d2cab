using System.CommandLine;

namespace Miso.Privacy.Cli.Audit;

/// <summary>
/// <c>audit verify [--checkpoint seq:hash]</c>: the service recomputes the hash chain, and says whether a checkpoint kept
/// from before is still on it (exit 1 when not). <c>audit checkpoint</c>: a signed statement of the chain head, to keep.
/// </summary>
static class AuditCommand
{
    public static Command Create(CommonOptions common) => new("audit", "Verify the audit trail, or take a signed checkpoint of it")
    {
        Verify(common),
        Checkpoint(common),
    };

    static Command Verify(CommonOptions common)
    {
        var checkpoint = OptionKinds.Checkpoint("--checkpoint", "Also check a checkpoint kept from before (seq:hash, as a manifest's chain head)");
        var command = new Command("verify", "Recompute the audit trail's hash chain: exit 0 intact, 1 broken, rewritten or cut") { checkpoint };
        command.SetAction(async (parse, ct) =>
        {
            var query = parse.GetValue(checkpoint) is { } kept ? $"?checkpoint={Uri.EscapeDataString(kept)}" : "";
            using var client = common.Connect(parse);
            var result = (await client.GetAsync($"api/v1/audit/verify{query}", ct)).Body;
            var intact = result.Flag("intact");
            if (common.WantsJson(parse))
                CliJson.Write(common.Console.Out, result);
            else
            {
                var head = result.Child("head");
                var chain = result.Text("first_broken_seq") is { } broken
                    ? $"BROKEN at seq {broken}: {result.Text("problem")}"
                    : $"Intact: {Show.Count(result.Number("events"))} events, head {head.Text("seq") ?? "0"}:{head.Text("hash") ?? "(empty chain)"}.";
                (result.Text("first_broken_seq") is null ? common.Console.Out : common.Console.Error).WriteLine(chain);
                if (result.Child("checkpoint") is { ValueKind: System.Text.Json.JsonValueKind.Object } found)
                {
                    var holds = found.Text("status") == "holds";
                    (holds ? common.Console.Out : common.Console.Error).WriteLine($"Checkpoint {found.Text("seq")}:{found.Text("hash")}: {found.Text("status")}"
                        + (holds ? "." : $"; the event at that seq has hash {found.Text("hash_on_chain") ?? "(none: it is gone)"}."));
                }
            }
            return intact ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    static Command Checkpoint(CommonOptions common)
    {
        var output = new Option<string>("--output", "-o") { Description = "Also save the checkpoint's JSON to this file" };
        var command = new Command("checkpoint", "A signed checkpoint of the audit trail's head, to keep and check later") { output };
        command.SetAction(async (parse, ct) =>
        {
            using var client = common.Connect(parse);
            var checkpoint = (await client.GetAsync("api/v1/audit/checkpoint", ct)).Body;
            if (parse.GetValue(output) is { } file)
            {
                try
                {
                    await File.WriteAllTextAsync(file, checkpoint.GetRawText() + "\n", ct);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliFailure(ExitCodes.Failed, $"Cannot write {file}: {e.Message}");
                }
            }
            if (common.WantsJson(parse))
                CliJson.Write(common.Console.Out, checkpoint);
            else
                common.Console.Out.WriteLine($"{checkpoint.Text("seq")}:{checkpoint.Text("hash")} at {checkpoint.Text("at")}, signed by {checkpoint.Text("kid")}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
