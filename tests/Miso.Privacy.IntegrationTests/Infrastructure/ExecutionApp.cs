using System.Net;
using System.Text;
using Miso.Emulator;
using Miso.Emulator.Inspection;

namespace Miso.Privacy.IntegrationTests.Infrastructure;

/// <summary>
/// The service with a real Hangfire server, pointed at an emulator on a loopback port with both
/// emulated environments, and execution timings shortened for tests.
/// </summary>
public class ExecutionApp : PrivacyApp
{
    EmulatorServer? _emulator;

    // The emulator, the hosts and the test share one thread pool on two cores; without spare threads
    // the emulator stamps calls late and in bunches, and its call log stops telling the truth about rates.
    static ExecutionApp() => ThreadPool.SetMinThreads(Math.Max(64, Environment.ProcessorCount), Math.Max(64, Environment.ProcessorCount));

    public EmulatorServer Emulator => _emulator ?? throw new InvalidOperationException("Not started.");
    public EmulatorInspector Inspector => Emulator.CreateInspector();

    /// <summary>Set before start to share an emulator with another host.</summary>
    public EmulatorServer? SharedEmulator { get; set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _emulator = SharedEmulator ?? await EmulatorServer.StartAsync();
        Outbound.Plan(_emulator.BaseAddress);
        var settings = new Dictionary<string, string?>
        {
            ["Execution:RunServer"] = "true",
            ["Execution:BatchWindow"] = "00:00:01",
            ["Execution:DrainInterval"] = "00:00:01",
            ["Execution:Lease"] = "00:00:20",
            ["Execution:RetryBaseDelay"] = "00:00:01",
            ["Execution:RetryMaxDelay"] = "00:00:05",
            ["Execution:MaxCallsPerSecond"] = "50",
        };
        for (var i = 0; i < Emulator.Environments.Count; i++)
        {
            var environment = Emulator.Environments[i];
            settings[$"Miso:Environments:{i}:Name"] = environment.Name;
            settings[$"Miso:Environments:{i}:BaseUrl"] = Emulator.BaseAddress.ToString();
            settings[$"Miso:Environments:{i}:SecretKey"] = environment.SecretKey;
            settings[$"Miso:Environments:{i}:PublishableKeys:0"] = environment.PublishableKey;
        }
        foreach (var (key, value) in settings)
            ExtraSettings.TryAdd(key, value);
    }

    /// <summary>Stores one interaction and one user record per user at the emulator, in every environment.</summary>
    public Task SeedInteractionsAsync(IEnumerable<string> userIds) => SeedAsync(Emulator, userIds);

    public static async Task SeedAsync(EmulatorServer emulator, IEnumerable<string> userIds)
    {
        var list = userIds.ToList();
        var interactions = string.Join(",", list.Select(u => $$"""{"type": "home_page_view", "user_id": "{{u}}"}"""));
        var users = string.Join(",", list.Select(u => $$"""{"user_id": "{{u}}"}"""));
        using var http = emulator.CreateClient();
        foreach (var environment in emulator.Environments)
        {
            await PostAsync(http, "v1/interactions", environment.SecretKey, interactions);
            await PostAsync(http, "v1/users", environment.SecretKey, users);
        }
    }

    static async Task PostAsync(HttpClient http, string path, string key, string records)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent($$"""{"data": [{{records}}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-API-KEY", key);
        var response = await http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_emulator is not null && SharedEmulator is null)
            await _emulator.DisposeAsync();
    }
}
