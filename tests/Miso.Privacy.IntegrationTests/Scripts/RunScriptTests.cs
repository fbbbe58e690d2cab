using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Miso.Privacy.IntegrationTests.Scripts;

/// <summary>
/// The README's run command, run as a user would: it comes up, serves, refuses a second copy, and stops on SIGTERM
/// (what a service manager sends). Not SIGINT: a script started from a non-interactive shell inherits SIGINT
/// ignored, and bash cannot trap a signal ignored on entry, so Ctrl-C's signal would prove nothing here.
/// </summary>
[Trait(RunsAlongside.Trait, RunsAlongside.Yes)]
public sealed class RunScriptTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunScript_ComesUpReady_RefusesASecondRun_AndStopsEverythingOnTerminate()
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
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            var deadline = DateTime.UtcNow.AddMinutes(4);
            while (!log.Any(l => l.Contains("Ctrl-C stops everything")) && DateTime.UtcNow < deadline && !run.HasExited)
                await Task.Delay(500);
            Assert.True(log.Any(l => l.Contains("Ctrl-C stops everything")), "run.sh did not come up:\n" + string.Join("\n", log));

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
            var key = (await File.ReadAllTextAsync(Path.Combine(data, "dev-api-key"))).Trim();
            Assert.Contains(log, l => l.Contains(key));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            Assert.Equal(HttpStatusCode.Created, (await http.PostJsonAsync("/api/v1/erasure-requests", """{"user_ids": ["run-sh"], "requested_by": "t"}""")).StatusCode);

            // The service connects as its own role, not as the owner, and signs with the key run.sh made, publishing its public half.
            await using (var postgres = new Npgsql.NpgsqlConnection($"Host=127.0.0.1;Port={environment["MISO_PRIVACY_PG_PORT"]};Username=postgres;Database=miso_privacy;Pooling=false"))
            {
                await postgres.OpenAsync();
                await using var sessions = new Npgsql.NpgsqlCommand(
                    "SELECT string_agg(DISTINCT usename::text, ',') FROM pg_stat_activity WHERE datname = 'miso_privacy' AND pid <> pg_backend_pid()", postgres);
                Assert.Equal("miso_privacy_service", await sessions.ExecuteScalarAsync());
            }
            var keyFile = await File.ReadAllTextAsync(Path.Combine(data, "signing-key.pem"));
            var jwks = await (await http.GetAsync("/api/v1/reports/signing-keys")).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(Signing.SigningKeyTests.Thumbprint(keyFile), Assert.Single(jwks.GetProperty("keys").EnumerateArray()).Str("kid"));

            // The OpenDSR processor is on, with the key and self-signed localhost certificate run.sh made beside the others.
            var certificate = await File.ReadAllTextAsync(Path.Combine(data, "opendsr-cert.pem"));
            var verifier = await OpenDsr.OpenDsrVerifier.FromDiscoveryAsync(new HttpClient { BaseAddress = new Uri($"http://localhost:{port}") });
            Assert.Equal(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(certificate).Thumbprint, verifier.Certificate.Thumbprint);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "opendsr-key.pem")));

            using var second = Start(environment);
            var secondOutput = await second.StandardError.ReadToEndAsync();
            await second.WaitForExitAsync();
            Assert.NotEqual(0, second.ExitCode);
            Assert.Contains("already running", secondOutput);

            Terminate(run);
            Assert.True(run.WaitForExit(60_000), "run.sh did not stop on SIGTERM");
            run.WaitForExit(); // and the last of its output has been read
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync("/health/live"));
            Assert.False(File.Exists(Path.Combine(data, "run.pid")));
            // Everything it started went with it: the emulator and the private PostgreSQL too.
            Assert.False(Listening(int.Parse(environment["MISO_EMULATOR_PORT"])), "the emulator still listens");
            Assert.False(Listening(int.Parse(environment["MISO_PRIVACY_PG_PORT"])), "PostgreSQL still listens");
            Assert.Contains(log, l => l.Contains("Stopped."));
        }
        finally
        {
            if (!run.HasExited) { Terminate(run); run.WaitForExit(30_000); }
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

    static bool Listening(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);

    static void Terminate(Process process) => kill(process.Id, 15);
}
