using Miso.Privacy.Cli;

namespace Miso.Privacy.TestSupport;

public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs miso-privacy in-process through its entry point, as typed at a shell: its environment variables given, stdout
/// and stderr captured. Transient failures are retried without waiting, and a Retry-After is not waited for, so a test of
/// one is not slow.
/// </summary>
public static class CliRun
{
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> variables, string[] args, bool terminal = false, string? stdin = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole
        {
            Out = output,
            Error = error,
            In = new StringReader(stdin ?? ""),
            Variables = name => variables.GetValueOrDefault(name),
            ErrorIsTerminal = terminal,
            RetryDelay = TimeSpan.Zero,
            LongestRetryAfter = TimeSpan.Zero,
        };
        var code = await CliApp.RunAsync(args, console);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>No URL and no key in the environment: what a machine without configuration has.</summary>
    public static Task<CliResult> OfflineAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), args);
}
