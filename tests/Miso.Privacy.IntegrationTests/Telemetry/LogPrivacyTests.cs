using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Miso.Emulator.Faults;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Telemetry;

public sealed class LogPrivacyTests(TelemetryApp app) : IClassFixture<TelemetryApp>
{
    static readonly string Run = Guid.NewGuid().ToString("N")[..8];

    /// <summary>Distinctive enough that no hash, timestamp or GUID can contain them by chance.</summary>
    static string Raw(string what, int i) => $"Leak{what}{i}x{Run}";

    [Fact]
    public async Task FullScenario_LeavesNoRawIdNorKey_InAnyLogEntrySpanOrMetric()
    {
        var client = app.ClientFor(TestKeys.All);
        var users = Enumerable.Range(0, 6).Select(i => Raw("User", i)).ToList();
        var anonymous = Enumerable.Range(0, 3).Select(i => Raw("Anon", i)).ToList();
        var faulted = Raw("Faulted", 0);
        var rejected = Raw("Rejected", 0);
        var forwarded = Raw("Forwarded", 0);
        var wrongKey = "wrong-management-key-" + Run;
        await app.SeedInteractionsAsync([.. users, faulted]);

        // Filed and looked up by raw id.
        var gdpr = await Erasures.CreateAsync(client, users[..3], $"\"{anonymous[0]}\", \"{anonymous[1]}\"");
        var ccpa = await CreateAsync(client, [users[3], users[4]], [anonymous[2]], "ccpa");
        foreach (var user in users)
            await (await client.GetAsync($"/api/v1/subjects/user_id/{user}")).JsonAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"/api/v1/subjects/anonymous_id/{anonymous[0]}")).JsonAsync(HttpStatusCode.OK);

        // Uploads through the Miso-compatible endpoint: the key in the query (as browsers send it) and in the header.
        var environment = app.Emulator.Environments[0];
        var records = $$"""{"data": [{"type": "home_page_view", "user_id": "{{users[0]}}"}, {"type": "home_page_view", "user_id": "{{forwarded}}"}, {"type": "home_page_view", "anonymous_id": "{{anonymous[2]}}"}]}""";
        using (var query = new HttpRequestMessage(HttpMethod.Post, $"/v1/interactions?api_key={environment.PublishableKey}") { Content = Json(records) })
            Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().SendAsync(query)).StatusCode);
        using (var header = new HttpRequestMessage(HttpMethod.Post, "/v1/interactions") { Content = Json(records) })
        {
            header.Headers.Add("X-API-KEY", environment.SecretKey);
            Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().SendAsync(header)).StatusCode);
        }

        await Erasures.WaitForAsync(client, [gdpr, ccpa], "completed");

        // One cancelled while still pending (warm by now, well inside the batch window).
        var cancelled = await Erasures.CreateAsync(client, [users[5]]);
        await (await client.PostJsonAsync($"/api/v1/erasure-requests/{cancelled}/cancel", """{"reason": "filed by mistake"}""")).JsonAsync(HttpStatusCode.OK);

        // A lift, and a lift of someone never suppressed.
        await (await client.DeleteJsonAsync($"/api/v1/suppressions/user_id/{users[0]}", """{"reason": "came back with consent"}""")).JsonAsync(HttpStatusCode.OK);
        await (await client.DeleteJsonAsync($"/api/v1/suppressions/user_id/{rejected}", """{"reason": "x"}""")).ProblemAsync(HttpStatusCode.NotFound, "value");

        // Miso answering 503 for a while: retried inside the call, then by the job, then completed.
        await app.Inspector.SetFaultsAsync(new FaultSettings { ErrorRate = 1, ErrorStatuses = [503] });
        string afterFaults;
        try
        {
            afterFaults = await Erasures.CreateAsync(client, [faulted]);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!(await app.Inspector.GetCallsAsync(null, 100_000)).Any(c => c.Status == 503 && c.UserIds.Contains(faulted)))
            {
                Assert.True(DateTime.UtcNow < deadline, "Miso was never called while failing");
                await Task.Delay(200);
            }
        }
        finally
        {
            await app.Inspector.ClearFaultsAsync();
        }
        await Erasures.WaitForAsync(client, [afterFaults], "completed");

        // Bad input: each rejected with a problem naming the field, raw ids in the bodies and paths.
        await (await client.PostJsonAsync("/api/v1/erasure-requests",
            $$"""{"user_ids": ["{{rejected}}"], "regulation": "nonsense", "requested_by": "test"}""")).ProblemAsync(HttpStatusCode.BadRequest, "regulation");
        await (await client.PostJsonAsync("/api/v1/erasure-requests",
            $$"""{"user_ids": ["{{rejected}}", 7], "requested_by": "test"}""")).ProblemAsync(HttpStatusCode.BadRequest, "user_ids[1]");
        await (await client.PostJsonAsync("/api/v1/erasure-requests", $$"""{"user_ids": ["{{rejected}}" """)).ProblemAsync(HttpStatusCode.BadRequest, "body");
        await (await client.GetAsync($"/api/v1/subjects/no_such_kind/{rejected}")).ProblemAsync(HttpStatusCode.BadRequest, "kind");
        await (await client.PostJsonAsync($"/api/v1/erasure-requests/{gdpr}/cancel", """{"reason": "too late"}""")).ProblemAsync(HttpStatusCode.Conflict, "status");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientFor(TestKeys.All with { Value = wrongKey }).GetAsync($"/api/v1/subjects/user_id/{rejected}")).StatusCode);
        using (var unknownKey = new HttpRequestMessage(HttpMethod.Post, $"/v1/interactions?api_key={wrongKey}") { Content = Json(records) })
            Assert.NotEqual(HttpStatusCode.OK, (await app.CreateClient().SendAsync(unknownKey)).StatusCode);

        var metrics = await (await app.CreateClient().GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Contains("miso_privacy_requests_received_total", metrics);

        string[] secrets =
        [
            .. users, .. anonymous, faulted, rejected, forwarded, wrongKey,
            .. app.Emulator.Environments.SelectMany(e => new[] { e.SecretKey, e.PublishableKey }),
            .. TestKeys.Configured.Select(k => k.Value),
        ];
        var entries = app.Logs.Entries.ToList();
        Assert.Contains(entries, e => e.Level == LogLevel.Trace);
        Assert.Contains(entries, e => e.Level == LogLevel.Debug);
        // The Miso client's HttpClient logging handlers (whose header dumps held X-API-KEY) are removed
        // at the source; the calls are logged by the drain, without keys.
        Assert.DoesNotContain(entries, e => e.Category.StartsWith("System.Net.Http.HttpClient.MisoClient", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Category == "Miso.Privacy.Execution.BatchRunner");
        Assert.Contains(entries, e => e.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        var spans = app.Spans.ToList();
        Assert.Contains(spans, s => s.Tags.GetValueOrDefault("url.path") == "/api/v1/subjects/{kind}/{value}");
        Assert.Contains(spans, s => s.Tags.GetValueOrDefault("url.path") == "/v1/interactions");
        Assert.Contains(spans, s => s.Source == "Npgsql");

        var leaks = new List<string>();
        foreach (var secret in secrets)
        {
            leaks.AddRange(entries.Where(e => e.Text.Contains(secret, StringComparison.OrdinalIgnoreCase))
                .Select(e => $"log {e.Level} {e.Category}: {Excerpt(e.Text, secret)}"));
            leaks.AddRange(spans.Where(s => s.Name.Contains(secret, StringComparison.OrdinalIgnoreCase)
                    || s.Tags.Any(t => $"{t.Key}={t.Value}".Contains(secret, StringComparison.OrdinalIgnoreCase)))
                .Select(s => $"span {s.Source} {s.Name}: {string.Join("; ", s.Tags.Where(t => t.Value?.Contains(secret, StringComparison.OrdinalIgnoreCase) == true))}"));
            if (metrics.Contains(secret, StringComparison.OrdinalIgnoreCase))
                leaks.Add($"metrics: {Excerpt(metrics, secret)}");
        }
        Assert.True(leaks.Count == 0, $"{leaks.Count} leaks of {entries.Count} log entries, {spans.Count} spans:\n" + string.Join("\n", leaks.Distinct().Take(40)));
    }

    static async Task<string> CreateAsync(HttpClient client, IEnumerable<string> users, IEnumerable<string> anonymous, string regulation)
    {
        var body = $$"""{"user_ids": [{{string.Join(",", users.Select(u => $"\"{u}\""))}}], "anonymous_ids": [{{string.Join(",", anonymous.Select(a => $"\"{a}\""))}}], "regulation": "{{regulation}}", "requested_by": "test"}""";
        return (await (await client.PostJsonAsync("/api/v1/erasure-requests", body)).JsonAsync(HttpStatusCode.Created)).Str("id");
    }

    static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    static string Excerpt(string text, string secret)
    {
        var at = text.IndexOf(secret, StringComparison.OrdinalIgnoreCase);
        var start = Math.Max(0, at - 150);
        return text.Substring(start, Math.Min(text.Length - start, 300)).ReplaceLineEndings(" ");
    }
}
