using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Miso.Privacy.IntegrationTests.Scripts;

/// <summary>The README's run command, run as a user would: it comes up, serves, refuses a second copy, and stops on Ctrl-C.</summary>
public sealed class RunScriptTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunScript_ComesUpReady_RefusesASecondRun_AndStopsEverythingOnInterrupt()
    {
        var data = Directory.CreateTempSubdirectory("miso-privacy-run-").FullName;
        var port = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["MISO_PRIVACY_DATA"] = data,
            ["MISO_PRIVACY_PORT"] = port.ToString(),
            ["MISO_PRIVACY_PG_PORT"] = FreePort.Next().ToString(),
            ["MISO_EMULATOR_PORT"] = FreePort.Next().ToString(),
            ["MISO_PRIVACY_BUILD_CONFIGURATION"] = "Debug",
        };
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(data, (UnixFileMode)Convert.ToInt32("755", 8));

        using var run = Start(environment);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        run.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        run.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        run.BeginOutputReadLine();
        run.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow.AddMinutes(4);
            while (!log.Any(l => l.Contains("Ctrl-C stops everything")) && DateTime.UtcNow < deadline && !run.HasExited)
                await Task.Delay(500);
            Assert.True(log.Any(l => l.Contains("Ctrl-C stops everything")), "run.sh did not come up:\n" + string.Join("\n", log));

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
            var key = (await File.ReadAllTextAsync(Path.Combine(data, "dev-api-key"))).Trim();
            Assert.Contains(log, l => l.Contains(key));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            Assert.Equal(HttpStatusCode.Created, (await http.PostJsonAsync("/api/v1/erasure-requests", """{"user_ids": ["run-sh"], "requested_by": "t"}""")).StatusCode);

            using var second = Start(environment);
            var secondOutput = await second.StandardError.ReadToEndAsync();
            await second.WaitForExitAsync();
            Assert.NotEqual(0, second.ExitCode);
            Assert.Contains("already running", secondOutput);

            Interrupt(run);
            Assert.True(run.WaitForExit(60_000), "run.sh did not stop on SIGINT");
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync("/health/live"));
            Assert.False(File.Exists(Path.Combine(data, "run.pid")));
        }
        finally
        {
            if (!run.HasExited) { Interrupt(run); run.WaitForExit(30_000); }
            output.WriteLine(string.Join("\n", log));
            try { Directory.Delete(data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    static Process Start(Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(RepoRoot.Path, "scripts", "run.sh")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot.Path,
        };
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        return Process.Start(info)!;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);

    static void Interrupt(Process process) => kill(process.Id, 2);
}
