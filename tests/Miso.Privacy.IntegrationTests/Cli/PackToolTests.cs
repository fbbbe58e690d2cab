using System.Diagnostics;
using System.Text.Json;
using Miso.Privacy.IntegrationTests.Dashboard;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Cli;

/// <summary>
/// The README's install, done as a user would: <c>dotnet pack</c>, <c>dotnet tool install</c> from the local folder (no
/// other package source), then the installed <c>miso-privacy</c> run as a process: its version, a call to the service
/// with the URL and key from the environment, and the exit codes a shell sees.
/// </summary>
[Trait(RunsAlongside.Trait, RunsAlongside.Yes)]
public sealed class PackToolTests(KestrelPrivacyApp app) : IClassFixture<KestrelPrivacyApp>
{
    [Fact]
    public async Task Pack_MakesATool_ThatInstallsFromALocalFolder_AndRunsAgainstTheService()
    {
        var work = CliHost.TempFolder();
        var feed = Path.Combine(work, "feed");
        var pack = await RunAsync("dotnet", ["pack", Path.Combine(RepoRoot.Path, "src", "Miso.Privacy.Cli"), "-c", "Release", "-o", feed], work);
        Assert.True(pack.ExitCode == 0, pack.ToString());
        Assert.Equal("Miso.Privacy.Cli.1.0.0.nupkg", Path.GetFileName(Assert.Single(Directory.GetFiles(feed, "*.nupkg"))));

        await File.WriteAllTextAsync(Path.Combine(work, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var tools = Path.Combine(work, "tools");
        var install = await RunAsync("dotnet", ["tool", "install", "Miso.Privacy.Cli", "--tool-path", tools, "--configfile", Path.Combine(work, "nuget.config")], work);
        Assert.True(install.ExitCode == 0, install.ToString());
        var tool = Path.Combine(tools, "miso-privacy");

        var version = await RunAsync(tool, ["--version"], work);
        Assert.Equal((0, "1.0.0"), (version.ExitCode, version.Out.Trim()));

        var environment = CliHost.Variables(app, TestKeys.Writer);
        var erase = await RunAsync(tool, ["erase", $"cli-tool-{Guid.NewGuid():N}", "--json"], work, environment);
        Assert.True(erase.ExitCode == 0, erase.ToString());
        var id = JsonDocument.Parse(erase.Out).RootElement.GetProperty("requests")[0].Str("id");
        var status = await RunAsync(tool, ["status", id], work, CliHost.Variables(app, TestKeys.Reader));
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.StartsWith($"Request {id}: pending", status.Out);

        Assert.Equal(2, (await RunAsync(tool, ["status"], work, environment)).ExitCode);
        Assert.Equal(3, (await RunAsync(tool, ["status", id], work, environment)).ExitCode);
        var unreachable = await RunAsync(tool, ["status", id], work,
            new() { ["MISO_PRIVACY_URL"] = $"http://127.0.0.1:{FreePort.Next()}", ["MISO_PRIVACY_KEY"] = "k" });
        Assert.True(unreachable.ExitCode == 5, unreachable.ToString());
        Assert.Contains("Cannot reach", unreachable.Error);
    }

    static async Task<CliResult> RunAsync(string file, string[] args, string folder, Dictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? [])
            info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }
}
