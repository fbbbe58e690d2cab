using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using Miso.Privacy.Cli.Audit;
using Miso.Privacy.Cli.Erase;
using Miso.Privacy.Cli.Keys;
using Miso.Privacy.Cli.Reports;
using Miso.Privacy.Cli.Requests;
using Miso.Privacy.Cli.Webhooks;

namespace Miso.Privacy.Cli;

/// <summary>miso-privacy's entry point, callable in-process with a console of the caller's (the tests run it so).</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken ct = default)
    {
        var common = new CommonOptions(console);
        var root = new RootCommand("miso-privacy: file and follow erasure requests, export and verify evidence, manage keys and webhooks.")
        {
            EraseCommand.Create(common),
            StatusCommand.Create(common),
            ListCommand.Create(common),
            LookupCommand.Create(common),
            ExtendCommand.Create(common),
            ReportCommand.Create(common),
            VerifyReportCommand.Create(common),
            AuditCommand.Create(common),
            KeysCommand.Create(common),
            WebhooksCommand.Create(common),
        };
        common.AddTo(root);
        // The default --version reads the entry assembly, which in-process (a test host, a tool embedding this) is not us.
        foreach (var version in root.Options.OfType<VersionOption>())
            version.Action = new PrintVersion();

        // No response files: an id such as "@alice" is an id, not a file to read arguments from.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Action is ParseErrorAction)
            return Usage(parse, console);
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = console.Out,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = console.HandlesInterrupts ? TimeSpan.FromSeconds(2) : null,
            }, ct);
        }
        catch (CliFailure failure)
        {
            failure.WriteTo(console.Error);
            return failure.ExitCode;
        }
        catch (OperationCanceledException)
        {
            // Timeouts become failures where they happen, so what is left is Ctrl-C or SIGTERM.
            console.Error.WriteLine("miso-privacy: interrupted.");
            return ExitCodes.Interrupted;
        }
    }

    sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var assembly = typeof(CliApp).Assembly;
            var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString();
            parseResult.InvocationConfiguration.Output.WriteLine(version);
            return ExitCodes.Success;
        }
    }

    static int Usage(ParseResult parse, CliConsole console)
    {
        foreach (var error in parse.Errors)
            console.Error.WriteLine($"miso-privacy: {error.Message}");
        var path = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            path.Insert(0, result.Command is RootCommand ? "miso-privacy" : result.Command.Name);
        console.Error.WriteLine($"Run '{string.Join(' ', path)} --help' for usage.");
        return ExitCodes.Usage;
    }
}
