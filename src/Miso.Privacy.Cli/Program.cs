namespace Miso.Privacy.Cli;

static class Program
{
    static Task<int> Main(string[] args) => Cli.RunAsync(args, CliConsole.FromSystem());
}
