
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
        {
            await DatabaseRoles.EnsureAsync(external);
            return new PostgresServer(external);
        }

        var cluster = await PostgresCluster.CreateAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().Wait(15_000);
        return new PostgresServer(cluster.AdminConnectionString);
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
}
