using System.Diagnostics;
using System.Net;
using Miso.Emulator;
using Xunit.Abstractions;

namespace Miso.Privacy.IntegrationTests.Infrastructure;

/// <summary>
/// The real service as its own process, for tests that kill it with SIGKILL: configured as production requires (every
/// secret, the service's database role, the emulator's environments), plus the test's own settings.
/// </summary>
public static class ServiceProcess
{
    static readonly Lazy<string> Output = new(FindServiceOutput);

    /// <summary>Starts the service and returns once it answers ready.</summary>
    public static async Task<Process> StartAsync(int port, string connectionString, EmulatorServer emulator, HttpClient http,
        ITestOutputHelper output, IReadOnlyDictionary<string, string> testSettings)
    {
        var bin = Output.Value;
        var info = new ProcessStartInfo("dotnet", [Path.Combine(bin, "Miso.Privacy.dll")])
        {
            WorkingDirectory = bin, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Privacy"] = DatabaseRoles.AsService(connectionString),
            ["Privacy__SubjectHashKey"] = TestKeys.SubjectHashKey,
            ["Privacy__RetentionKey"] = TestKeys.RetentionKey,
            ["Auth__ApiKeys__0__Name"] = TestKeys.All.Name,
            ["Auth__ApiKeys__0__KeySha256"] = TestKeys.Sha256(TestKeys.All.Value),
        };
        foreach (var (key, value) in TestKeys.SigningSettings)
            settings[key.Replace(":", "__")] = value!;
        for (var s = 0; s < TestKeys.All.Scopes.Length; s++)
            settings[$"Auth__ApiKeys__0__Scopes__{s}"] = TestKeys.All.Scopes[s];
        for (var i = 0; i < emulator.Environments.Count; i++)
        {
            settings[$"Miso__Environments__{i}__Name"] = emulator.Environments[i].Name;
            settings[$"Miso__Environments__{i}__BaseUrl"] = emulator.BaseAddress.ToString();
            settings[$"Miso__Environments__{i}__SecretKey"] = emulator.Environments[i].SecretKey;
        }
        foreach (var (name, value) in testSettings)
            settings[name] = value;
        foreach (var (name, value) in settings)
            info.Environment[name] = value;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 240; attempt++)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                    return process;
            }
            // A probe that times out (the HttpClient's own timeout) on a loaded machine is a service not ready yet.
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            Assert.False(process.HasExited, "the service exited during start");
            await Task.Delay(250);
        }
        throw new TimeoutException("the service did not become ready");
    }

    /// <summary>
    /// The service's own build output that this test run was compiled against, whatever the configuration or target:
    /// the one whose Miso.Privacy.dll is byte for byte the copy beside the tests.
    /// </summary>
    static string FindServiceOutput()
    {
        var loaded = File.ReadAllBytes(typeof(Program).Assembly.Location);
        var bin = Path.Combine(RepoRoot.Path, "src", "Miso.Privacy", "bin");
        var candidates = Directory.Exists(bin) ? Directory.GetFiles(bin, "Miso.Privacy.dll", SearchOption.AllDirectories) : [];
        var match = candidates.FirstOrDefault(dll => File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json"))
            && File.ReadAllBytes(dll).AsSpan().SequenceEqual(loaded));
        return Path.GetDirectoryName(match ?? throw new InvalidOperationException(
            $"No build of the service under {bin} matches the one these tests reference; looked at: {string.Join(", ", candidates)}"))!;
    }
}
