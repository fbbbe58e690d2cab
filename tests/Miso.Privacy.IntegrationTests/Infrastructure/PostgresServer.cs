using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Miso.Privacy.IntegrationTests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the whole test run, made with the machine's server binaries in a
/// temporary folder on a free port; or the server in MISO_PRIVACY_TEST_DB when that is set.
/// </summary>
public sealed class PostgresServer
{
    static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);

    public static Task<PostgresServer> GetAsync() => Shared.Value;

    public string AdminConnectionString { get; }

    PostgresServer(string adminConnectionString) => AdminConnectionString = adminConnectionString;

    public string ConnectionStringFor(string database) =>
        $"{AdminConnectionString};Database={database};Maximum Pool Size=30;Include Error Detail=true";

    static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("MISO_PRIVACY_TEST_DB") is { Length: > 0 } external)
            return new PostgresServer(external);

        var bin = FindBinaries();
        var root = Directory.CreateTempSubdirectory("miso-privacy-test-pg-").FullName;
        var data = Path.Combine(root, "data");
        var asRoot = Environment.UserName == "root";
        if (asRoot)
            await RunAsync("chown", ["-R", "postgres:postgres", root]);
        var port = FreePort();
        await RunPgAsync(asRoot, Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"]);
        await RunPgAsync(asRoot, Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o",
            $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400",
            "start"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Run(asRoot, Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]).WaitForExit(10_000);
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres");
    }

    public static string FindBinaries()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin"))
            : [];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL server binaries not found; run scripts/test.sh, which installs them.");
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static Process Run(bool asPostgres, string file, string[] args)
    {
        var info = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres)
            foreach (var a in new[] { "-u", "postgres", "--", file }) info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    static Task RunPgAsync(bool asPostgres, string file, string[] args) => WaitAsync(Run(asPostgres, file, args), file);

    static Task RunAsync(string file, string[] args) => WaitAsync(Run(false, file, args), file);

    static async Task WaitAsync(Process process, string name)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{name} failed ({process.ExitCode}): {await stdout}{await stderr}");
    }
}
