using System.CommandLine;
using Miso.Privacy.Cli.Http;

namespace Miso.Privacy.Cli;

/// <summary>The options every command takes, and the connection they describe.</summary>
sealed class CommonOptions(CliConsole console)
{
    public const string UrlVariable = "MISO_PRIVACY_URL";
    public const string KeyVariable = "MISO_PRIVACY_KEY";

    public CliConsole Console { get; } = console;

    public Option<string> Url { get; } = new("--url")
    {
        Description = $"The service's base URL, such as http://127.0.0.1:5080 [default: ${UrlVariable}]",
        Recursive = true,
    };

    public Option<string> Key { get; } = new("--key")
    {
        Description = $"An API key [default: ${KeyVariable}; prefer the variable, a flag shows in the process list]",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Write JSON to stdout, for scripts", Recursive = true };

    public void AddTo(Command root)
    {
        root.Options.Add(Url);
        root.Options.Add(Key);
        root.Options.Add(Json);
    }

    public bool WantsJson(ParseResult parse) => parse.GetValue(Json);

    public ServiceClient Connect(ParseResult parse) =>
        ServiceClient.Create(BaseAddress(parse), parse.GetValue(Key) ?? Variable(KeyVariable)
            ?? throw CliFailure.Usage($"No API key: set {KeyVariable} or pass --key."), Console);

    public Uri BaseAddress(ParseResult parse)
    {
        var text = parse.GetValue(Url) ?? Variable(UrlVariable)
            ?? throw CliFailure.Usage($"No service URL: set {UrlVariable} or pass --url (for example http://127.0.0.1:5080).");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Query.Length > 0)
            throw CliFailure.Usage($"The service URL must be an absolute http(s) URL without a query, such as http://127.0.0.1:5080; got '{text}'.");
        // A trailing slash, so that a service behind a path prefix keeps it when relative paths are resolved.
        return url.AbsolutePath.EndsWith('/') ? url : new Uri(url + "/");
    }

    string? Variable(string name) => Console.Variables(name) is { Length: > 0 } value ? value : null;
}
