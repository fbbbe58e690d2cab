using System.Diagnostics;

namespace Miso.Privacy.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of the machine's server binaries in a temporary folder on a free port, run as
/// the postgres user when the tests run as root (PostgreSQL refuses root). It can be stopped and
/// started again, for the tests that take the database away.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    readonly string _bin, _root, _data;
    readonly int _port;
    readonly bool _asRoot = Environment.UserName == "root";

    PostgresCluster(string bin, string root, int port) => (_bin, _root, _data, _port) = (bin, root, Path.Combine(root, "data"), port);

    public string AdminConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres";

    public static async Task<PostgresCluster> CreateAsync()
    {
        var cluster = new PostgresCluster(PostgresServer.FindBinaries(), NewRoot(), FreePort.Next());
        if (cluster._asRoot)
            await WaitAsync(Run(false, "chown", ["-R", "postgres:postgres", cluster._root]), "chown");
        await cluster.PgAsync("initdb", ["-D", cluster._data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"]);
        await cluster.StartAsync();
        await DatabaseRoles.EnsureAsync(cluster.AdminConnectionString);
        return cluster;
    }

    /// <summary>
    /// In MISO_PRIVACY_TEST_CLUSTERS when set (scripts/test.sh sets it, and stops and removes whatever is left there when the
    /// run ends: the process-exit hook does not always get to run before the test host is ended); otherwise in the temp folder.
    /// </summary>
    static string NewRoot()
    {
        if (Environment.GetEnvironmentVariable("MISO_PRIVACY_TEST_CLUSTERS") is not { Length: > 0 } parent)
            return Directory.CreateTempSubdirectory("miso-privacy-test-pg-").FullName;
        var root = Path.Combine(parent, $"pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        return root;
    }

    public Task StartAsync() => PgAsync("pg_ctl", ["-D", _data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "-o",
        $"-p {_port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400",
        "start"]);

    public Task StopAsync() => PgAsync("pg_ctl", ["-D", _data, "-m", "fast", "-w", "stop"]);

    /// <summary>For the process-exit hook, which cannot await.</summary>
    public void StopNow() => Run(_asRoot, Path.Combine(_bin, "pg_ctl"), ["-D", _data, "-m", "immediate", "stop"]).WaitForExit(10_000);

    public async ValueTask DisposeAsync()
    {
        StopNow();
        await Task.Yield();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    Task PgAsync(string tool, string[] args) => WaitAsync(Run(_asRoot, Path.Combine(_bin, tool), args), tool);

    static Process Run(bool asPostgres, string file, string[] args)
    {
        var info = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres)
            foreach (var a in new[] { "-u", "postgres", "--", file }) info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    static async Task WaitAsync(Process process, string name)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{name} failed ({process.ExitCode}): {await stdout}{await stderr}");
    }
}
