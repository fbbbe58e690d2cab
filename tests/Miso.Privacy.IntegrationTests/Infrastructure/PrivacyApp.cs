using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.IntegrationTests.Infrastructure;

/// <summary>The service on its own freshly migrated database, configured with <see cref="TestKeys"/>.</summary>
public class PrivacyApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>
    /// The owner's connection: set before start to share a database with another host; otherwise a fresh one is made.
    /// The service itself connects as <see cref="DatabaseRoles.Service"/>; the test's own reads and writes use this.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    public Dictionary<string, string?> ExtraSettings { get; } = new();

    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>Hosts the service may call; anything else fails the call and the test.</summary>
    public OutboundGuard Outbound { get; } = new();

    public virtual async Task InitializeAsync()
    {
        if (ConnectionString.Length == 0)
            ConnectionString = await TestDatabase.CreateAsync();
    }

    protected virtual IDictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Privacy"] = DatabaseRoles.AsService(ConnectionString),
            ["Privacy:SubjectHashKey"] = TestKeys.SubjectHashKey,
            ["Privacy:RetentionKey"] = TestKeys.RetentionKey,
            // No Hangfire workers unless a test is about jobs: they would only poll an idle queue.
            ["Execution:RunServer"] = "false",
            // Tests file requests far faster than a person; the rate-limit tests set their own limits.
            ["RateLimiting:PermitsPerSecond"] = "100000",
            ["RateLimiting:Burst"] = "100000",
            ["Forwarding:RateLimit:PermitsPerSecond"] = "100000",
            ["Forwarding:RateLimit:Burst"] = "100000",
            // Tests read the summary right after their own changes; SummaryMaxAgeTests covers the default lag.
            ["Dashboard:SummaryMaxAge"] = "00:00:00",
        };
        foreach (var (key, value) in TestKeys.SigningSettings)
            settings[key] = value;
        for (var i = 0; i < TestKeys.Configured.Length; i++)
        {
            var key = TestKeys.Configured[i];
            settings[$"Auth:ApiKeys:{i}:Name"] = key.Name;
            settings[$"Auth:ApiKeys:{i}:KeySha256"] = TestKeys.Sha256(key.Value);
            for (var s = 0; s < key.Scopes.Length; s++)
                settings[$"Auth:ApiKeys:{i}:Scopes:{s}"] = key.Scopes[s];
        }
        // Two environments nobody calls (no workers run here, and no test holds their keys), unless the test names its own.
        if (!ExtraSettings.Keys.Any(k => k.StartsWith("Miso:Environments", StringComparison.Ordinal)))
        {
            string[] environments = ["development", "production"];
            for (var i = 0; i < environments.Length; i++)
            {
                settings[$"Miso:Environments:{i}:Name"] = environments[i];
                settings[$"Miso:Environments:{i}:BaseUrl"] = $"http://{environments[i]}.miso.invalid/";
                settings[$"Miso:Environments:{i}:SecretKey"] = $"unused-{environments[i]}-secret-key";
            }
        }
        foreach (var (key, value) in ExtraSettings)
            settings[key] = value;
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in Settings())
            builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(Outbound.Handler)));
        if (TestServices is not null)
            builder.ConfigureServices(TestServices);
    }

    public HttpClient ClientFor(TestKey? key)
    {
        var client = CreateClient();
        if (key is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Value);
        return client;
    }

    public PrivacyDbContext NewDb() => NewDb(ConnectionString);

    public static PrivacyDbContext NewDb(string connectionString) =>
        new((DbContextOptions<PrivacyDbContext>)DatabaseSetup.Configure(new DbContextOptionsBuilder<PrivacyDbContext>(), connectionString).Options);

    public async Task<long> CountAsync(string table)
    {
        await using var db = NewDb();
        var sql = "SELECT count(*) AS \"Value\" FROM privacy." + table;
        return await db.Database.SqlQueryRaw<long>(sql).SingleAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Outbound.AssertNoneUnplanned();
    }
}
