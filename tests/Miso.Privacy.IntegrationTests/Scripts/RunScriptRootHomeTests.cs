using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Miso.Privacy.IntegrationTests.Scripts;

/// <summary>
/// The README's run command as root on a fresh machine, from a folder the postgres user cannot reach (a clone in /root):
/// the cluster goes to a system folder of its own, the secrets stay in the data folder, and the data survives a restart.
/// Also what a person reads: JSON lines when the output is redirected, one plain line per entry at a terminal.
/// </summary>
[Trait(RunsAlongside.Trait, RunsAlongside.Yes)]
public sealed class RunScriptRootHomeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunScript_AsRootFromAPrivateFolder_KeepsTheClusterInASystemFolder_AndItsDataAcrossRestarts()
    {
        if (Environment.UserName != "root")
        {
            output.WriteLine("Only root runs PostgreSQL as another user; as anyone else the cluster always stays in the data folder.");
            return;
        }
        var home = Directory.CreateTempSubdirectory("miso-privacy-home-").FullName; // private to root, as /root is
        var data = Path.Combine(home, "checkout", ".data");
        var port = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["MISO_PRIVACY_DATA"] = data,
            ["MISO_PRIVACY_PORT"] = port.ToString(),
            ["MISO_PRIVACY_PG_PORT"] = FreePort.Next().ToString(),
            ["MISO_EMULATOR_PORT"] = FreePort.Next().ToString(),
            ["MISO_PRIVACY_BUILD_CONFIGURATION"] = "Debug",
        };
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        string? cluster = null;
        var runs = new List<ScriptRun>();
        try
        {
            var first = Track(runs, ScriptRun.Start(environment, terminal: false));
            await first.WaitUntilReadyAsync();
            var moved = Assert.Single(first.Lines, l => l.Contains("the cluster is kept in"));
            cluster = Regex.Match(moved, @"kept in (/var/lib/miso-privacy/[^/\s]+/postgres) ").Groups[1].Value;
            Assert.True(File.Exists(Path.Combine(cluster, "PG_VERSION")), moved);
            Assert.False(Directory.Exists(Path.Combine(data, "postgres")));
            Assert.Contains(first.Lines, l => l.Contains($"its cluster in {cluster}"));
            var key = (await File.ReadAllTextAsync(Path.Combine(data, "dev-api-key"))).Trim();
            var secrets = await SecretsAsync(data);
            Assert.Contains(first.Lines, l => IsJsonEntry(l, "Microsoft.Hosting.Lifetime", $"Now listening on: http://127.0.0.1:{port}"));

            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var created = await (await http.PostJsonAsync("/api/v1/erasure-requests", """{"user_ids": ["root-home"], "requested_by": "t"}"""))
                .JsonAsync(HttpStatusCode.Created);
            await first.StopAsync(data);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync("/health/live"));

            var second = Track(runs, ScriptRun.Start(environment, terminal: true));
            await second.WaitUntilReadyAsync();
            Assert.DoesNotContain(second.Lines, l => l.Contains("Creating the PostgreSQL cluster"));
            Assert.Contains(second.Lines, l => Regex.IsMatch(l,
                $@"^\d\d:\d\d:\d\d info: Microsoft\.Hosting\.Lifetime\[14\] Now listening on: http://127\.0\.0\.1:{port}$"));
            var again = await (await http.GetAsync($"/api/v1/erasure-requests/{created.Str("id")}")).JsonAsync(HttpStatusCode.OK);
            Assert.Equal("t", again.Str("requested_by"));
            Assert.Equal(secrets, await SecretsAsync(data));
            await second.StopAsync(data);

            // The clone removed and made again at the same path: new secrets must not meet the old cluster.
            await File.WriteAllTextAsync(Path.Combine(data, "subject-hash-key"), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
            var refused = Track(runs, ScriptRun.Start(environment, terminal: false));
            Assert.True(refused.Process.WaitForExit(60_000), "run.sh did not stop on a cluster made for other secrets");
            // The timed overload returns at exit, before the redirected output is read to its end; this one waits for it.
            refused.Process.WaitForExit();
            Assert.NotEqual(0, refused.Process.ExitCode);
            Assert.Contains(refused.Lines, l => l.Contains("holds a cluster made for other secrets"));
            Assert.True(File.Exists(Path.Combine(cluster, "PG_VERSION")));
        }
        finally
        {
            foreach (var run in runs)
            {
                await run.StopAsync(data, assert: false);
                output.WriteLine(string.Join("\n", run.Lines));
            }
            Directory.Delete(home, recursive: true);
            if (!string.IsNullOrEmpty(cluster))
                Directory.Delete(Path.GetDirectoryName(cluster)!, recursive: true);
            if (Directory.Exists("/var/lib/miso-privacy") && !Directory.EnumerateFileSystemEntries("/var/lib/miso-privacy").Any())
                Directory.Delete("/var/lib/miso-privacy");
        }
    }

    static ScriptRun Track(List<ScriptRun> runs, ScriptRun run)
    {
        runs.Add(run);
        return run;
    }

    static async Task<string> SecretsAsync(string data) => string.Join("|", await Task.WhenAll(
        new[] { "subject-hash-key", "retention-key", "signing-key.pem", "dev-api-key" }.Select(f => File.ReadAllTextAsync(Path.Combine(data, f)))));

    static bool IsJsonEntry(string line, string category, string message)
    {
        if (!line.StartsWith('{'))
            return false;
        using var entry = JsonDocument.Parse(line);
        return entry.RootElement.GetProperty("Category").GetString() == category && entry.RootElement.GetProperty("Message").GetString() == message;
    }

    sealed class ScriptRun
    {
        readonly ConcurrentQueue<string> _lines = new();

        ScriptRun(Process process) => Process = process;

        public Process Process { get; }

        public IReadOnlyCollection<string> Lines => _lines;

        /// <summary>As a person starts it (a terminal, through util-linux <c>script</c>), or with its output redirected.</summary>
        public static ScriptRun Start(Dictionary<string, string> environment, bool terminal)
        {
            var runScript = Path.Combine(RepoRoot.Path, "scripts", "run.sh");
            var info = terminal ? new ProcessStartInfo("script", ["-qfec", $"bash '{runScript}'", "/dev/null"]) : new ProcessStartInfo("bash", [runScript]);
            info.RedirectStandardOutput = info.RedirectStandardError = info.RedirectStandardInput = true;
            info.WorkingDirectory = RepoRoot.Path;
            foreach (var (name, value) in environment)
                info.Environment[name] = value;
            var run = new ScriptRun(Process.Start(info)!);
            run.Process.OutputDataReceived += (_, e) => run.Add(e.Data);
            run.Process.ErrorDataReceived += (_, e) => run.Add(e.Data);
            run.Process.BeginOutputReadLine();
            run.Process.BeginErrorReadLine();
            run.Process.StandardInput.Close();
            return run;
        }

        // A terminal adds colours and carriage returns.
        void Add(string? line)
        {
            if (line is not null)
                _lines.Enqueue(Regex.Replace(line, "\u001b\\[[0-9;]*m|\r", ""));
        }

        public async Task WaitUntilReadyAsync()
        {
            var deadline = DateTime.UtcNow.AddMinutes(4);
            while (!_lines.Any(l => l.Contains("Ctrl-C stops everything")) && DateTime.UtcNow < deadline && !Process.HasExited)
                await Task.Delay(500);
            Assert.True(_lines.Any(l => l.Contains("Ctrl-C stops everything")), "run.sh did not come up:\n" + string.Join("\n", _lines));
        }

        /// <summary>SIGTERM to run.sh itself (its pid is in the lock file), as a service manager would stop it.</summary>
        public async Task StopAsync(string data, bool assert = true)
        {
            if (Process.HasExited)
                return;
            var lockFile = Path.Combine(data, "run.pid");
            if (File.Exists(lockFile) && int.TryParse((await File.ReadAllTextAsync(lockFile)).Trim(), out var pid))
                kill(pid, 15);
            var stopped = Process.WaitForExit(60_000);
            if (!stopped)
                Process.Kill(entireProcessTree: true);
            if (assert)
            {
                Assert.True(stopped, "run.sh did not stop on SIGTERM");
                Assert.False(File.Exists(lockFile));
            }
        }

        [DllImport("libc", SetLastError = true)]
        static extern int kill(int pid, int sig);
    }
}
