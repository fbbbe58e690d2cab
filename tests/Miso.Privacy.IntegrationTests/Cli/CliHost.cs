using Miso.Privacy.IntegrationTests.Dashboard;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Cli;

/// <summary>The client against the service on a real loopback port: the URL and the key come from MISO_PRIVACY_URL and MISO_PRIVACY_KEY.</summary>
public static class CliHost
{
    public static Task<CliResult> CliAsync(this KestrelPrivacyApp app, TestKey? key, params string[] args) =>
        CliRun.RunAsync(Variables(app, key), args);

    public static Task<CliResult> CliAsync(this KestrelPrivacyApp app, TestKey? key, string[] args, bool terminal = false, string? stdin = null) =>
        CliRun.RunAsync(Variables(app, key), args, terminal, stdin);

    public static Task<CliResult> CliAsync(this Uri service, TestKey? key, params string[] args) =>
        CliRun.RunAsync(Variables(service, key), args);

    public static Dictionary<string, string?> Variables(KestrelPrivacyApp app, TestKey? key) => Variables(app.BaseAddress, key);

    public static Dictionary<string, string?> Variables(Uri service, TestKey? key) => new()
    {
        ["MISO_PRIVACY_URL"] = service.ToString(),
        ["MISO_PRIVACY_KEY"] = key?.Value,
    };

    public static string TempFolder() => Directory.CreateTempSubdirectory("miso-privacy-cli-").FullName;
}
