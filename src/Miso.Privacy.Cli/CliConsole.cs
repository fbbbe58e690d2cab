namespace Miso.Privacy.Cli;

/// <summary>Everything the client takes from its surroundings, so a test can run it in-process and read what it wrote.</summary>
public sealed class CliConsole
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Read for <c>--file -</c>.</summary>
    public TextReader In { get; init; } = TextReader.Null;

    public Func<string, string?> Variables { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Progress bars are drawn only for a person: when stderr is a terminal.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>First wait before a transient failure is retried (then doubled, with jitter).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A 429 or 503 asking to wait longer than this is not retried: the command fails, and the person decides.</summary>
    public TimeSpan LongestRetryAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether Ctrl-C and SIGTERM cancel the command (a process's own console); not for in-process callers.</summary>
    public bool HandlesInterrupts { get; init; }

    public static CliConsole FromSystem() => new()
    {
        Out = System.Console.Out,
        Error = System.Console.Error,
        In = System.Console.In,
        ErrorIsTerminal = !System.Console.IsErrorRedirected,
        HandlesInterrupts = true,
    };
}
