namespace Miso.Privacy.Cli;

static class Program
{
    static Task<int> Main(string[] args) => CliApp.RunAsync(args, CliConsole.FromSystem());
}
