namespace Miso.Privacy.Cli;

/// <summary>Ends a command with an exit code and a message for stderr; thrown where the problem is known, written in one place.</summary>
public sealed class CliFailure(int exitCode, string message, IReadOnlyList<string>? details = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public IReadOnlyList<string> Details { get; } = details ?? [];

    public static CliFailure Usage(string message, IReadOnlyList<string>? details = null) => new(ExitCodes.Usage, message, details);

    /// <summary>The same failure with a line of context after its own (what had been done before it happened).</summary>
    public CliFailure WithNote(string note) => new(ExitCode, Message, [.. Details, note]);

    public void WriteTo(TextWriter error)
    {
        error.WriteLine($"miso-privacy: {Message}");
        foreach (var line in Details)
            error.WriteLine($"  {line}");
    }
}
