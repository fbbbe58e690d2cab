using System.Net.Http.Headers;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Operations;

/// <summary>
/// The hostile-input corpus against every endpoint that reads a body or a path: never a 5xx, and a
/// rejected management call leaves every table as it was.
/// </summary>
public sealed class HostileManagementInputTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    static readonly string[] Tables = ["erasure_requests", "request_subjects", "suppressions", "audit_events", "work_items"];

    [Fact]
    public async Task TheCorpus_HasOverAHundredCases()
    {
        Assert.True(HostileInputs.Bodies().Count() >= 100, $"only {HostileInputs.Bodies().Count()} cases");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task ManagementEndpoints_Answer4xxProblems_AndWriteNothing()
    {
        var client = app.ClientFor(TestKeys.All);
        var existing = await Erasures.CreateAsync(client, ["hostile-existing"]);
        var before = await CountsAsync();
        var failures = new List<string>();
        foreach (var (name, body) in HostileInputs.Bodies())
        {
            foreach (var (method, path) in new[]
            {
                ("POST", "/api/v1/erasure-requests"),
                ("POST", $"/api/v1/erasure-requests/{existing}/cancel"),
                ("DELETE", "/api/v1/suppressions/user_id/hostile-existing"),
            })
            {
                using var response = await client.SendAsync(Request(method, path, body));
                var status = (int)response.StatusCode;
                if (status is < 400 or >= 500 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Add($"{method} {path} with {name}: {status} {response.Content.Headers.ContentType?.MediaType}");
            }
        }
        Assert.Empty(failures);
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("/api/v1/subjects/user_id/%ZZ")]
    [InlineData("/api/v1/subjects/user_id/%ED%A0%80")]
    [InlineData("/api/v1/subjects/anonymous_id/%F0%9F%98%80%E2%80%AE")]
    [InlineData("/api/v1/subjects/%E2%80%AE/x")]
    [InlineData("/api/v1/erasure-requests/%2e%2e%2f%2e%2e%2fetc%2fpasswd")]
    [InlineData("/api/v1/erasure-requests/00000000-0000-0000-0000-000000000000%20")]
    [InlineData("/api/v1/erasure-requests?limit=99999999999999999999")]
    [InlineData("/api/v1/erasure-requests?received_from=9999-99-99")]
    [InlineData("/api/v1/erasure-requests?cursor=-1")]
    [InlineData("/api/v1/erasure-requests?status=%00")]
    [InlineData("/api/v1/reports/erasures?from=2026-13-45&format=csv")]
    [InlineData("/api/v1/audit/events?request_id=%00")]
    [InlineData("/api/v1/subjects/user_id/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task HostilePaths_NeverAnswer5xx(string path)
    {
        // A NUL in the path never reaches the service (Kestrel refuses the request line), so it is not here.
        using var response = await app.ClientFor(TestKeys.All).GetAsync(path);
        Assert.True((int)response.StatusCode < 500, $"{path}: {(int)response.StatusCode}");
    }

    static HttpRequestMessage Request(string method, string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(new HttpMethod(method), path) { Content = content };
    }

    async Task<string> CountsAsync()
    {
        var counts = new List<long>();
        foreach (var table in Tables)
            counts.Add(await app.CountAsync(table));
        return string.Join(",", counts);
    }
}

/// <summary>The same corpus against the Miso-compatible routes: Miso-shaped 4xx, never a 5xx, nothing stored at Miso.</summary>
public sealed class HostileMisoInputTests(ExecutionApp app) : IClassFixture<ExecutionApp>
{
    [Fact]
    public async Task MisoCompatibleEndpoints_NeverAnswer5xx_AndForwardNothingMalformed()
    {
        var client = app.CreateClient();
        var key = app.Emulator.GetEnvironment("production");
        await app.Inspector.ResetAsync();
        var failures = new List<string>();
        foreach (var (name, body) in HostileInputs.Bodies())
        {
            foreach (var (method, apiKey) in new[] { ("POST", key.PublishableKey), ("DELETE", key.SecretKey) })
            {
                var request = Request(method, "/v1/interactions", body);
                request.Headers.Add("X-API-KEY", apiKey);
                using var response = await client.SendAsync(request);
                if ((int)response.StatusCode >= 500)
                    failures.Add($"{method} /v1/interactions with {name}: {(int)response.StatusCode}");
            }
        }
        Assert.Empty(failures);
        Assert.Equal(0, (await app.Inspector.GetStatsAsync()).Interactions);
    }

    static HttpRequestMessage Request(string method, string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(new HttpMethod(method), path) { Content = content };
    }
}
