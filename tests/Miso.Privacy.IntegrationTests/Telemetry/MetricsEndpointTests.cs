using System.Net;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Telemetry;

public sealed class MetricsEndpointTests(TelemetryApp app) : IClassFixture<TelemetryApp>
{
    [Fact]
    public async Task Metrics_AnswersPrometheusText_WithRequestsBacklogAndMisoCallDurations()
    {
        var client = app.ClientFor(TestKeys.All);
        var completed = await Erasures.CreateAsync(client, ["metrics-user-1", "metrics-user-2"], "\"metrics-anon-1\"");
        // Asked for 60 days ago under the CCPA (45 days): overdue from the moment it is filed until it completes.
        var submitted = DateTimeOffset.UtcNow.AddDays(-60).ToString("O");
        var overdue = (await (await client.PostJsonAsync("/api/v1/erasure-requests",
            $$"""{"user_ids": ["metrics-user-3"], "regulation": "ccpa", "submitted_at": "{{submitted}}", "requested_by": "test"}"""))
            .JsonAsync(HttpStatusCode.Created)).Str("id");

        // Anonymous, as Prometheus scrapes it.
        var scrape = app.CreateClient();
        var first = await scrape.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/plain", first.Content.Headers.ContentType?.MediaType);
        var samples = PrometheusText.Parse(await first.Content.ReadAsStringAsync());
        // Exactly: this host's meters only, though other hosts in this process count their own.
        Assert.Equal(1, Value(samples, "miso_privacy_requests_received_total", ("regulation", "gdpr")));
        Assert.Equal(1, Value(samples, "miso_privacy_requests_received_total", ("regulation", "ccpa")));
        Assert.Equal(1, Value(samples, "miso_privacy_requests_received_total", ("regulation", "ccpa"), ("type", "erase")));
        Assert.Equal(0, Value(samples, "miso_privacy_requests_received_total", ("type", "suppress")));
        Assert.Equal(1, Value(samples, "miso_privacy_requests_overdue", ("regulation", "ccpa")));
        Assert.Equal(0, Value(samples, "miso_privacy_requests_overdue", ("regulation", "gdpr")));
        Assert.Single(samples.Named("miso_privacy_drain_lag_seconds"));
        // One per configured environment, since suppression is kept per environment.
        Assert.Equal(app.Emulator.Environments.Select(e => e.Name).Order(StringComparer.Ordinal),
            samples.Named("miso_privacy_forwarding_suppression_set_size").Select(s => s.Labels["environment"]).Order(StringComparer.Ordinal));

        await Erasures.WaitForAsync(client, [completed, overdue], "completed");
        var environment = app.Emulator.Environments[0].Name;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            // The backlog gauges are read at most every 5 s: poll until a snapshot after the completions.
            samples = PrometheusText.Parse(await scrape.GetStringAsync("/metrics"));
            if (Value(samples, "miso_privacy_work_items", ("state", "deleted"), ("environment", environment)) >= 4)
                break;
            Assert.True(DateTime.UtcNow < deadline, "The work_items gauge never showed the deleted items");
            await Task.Delay(500);
        }
        Assert.Equal(0, Value(samples, "miso_privacy_requests_overdue", ("regulation", "ccpa")));
        Assert.True(Value(samples, "miso_privacy_requests_completed_total", ("regulation", "gdpr")) >= 1);
        Assert.True(Value(samples, "miso_privacy_requests_completed_total", ("regulation", "ccpa")) >= 1);
        // Asked 60 days ago under a 45-day deadline: completed late, by the one clock.
        Assert.True(Value(samples, "miso_privacy_requests_completed_total", ("regulation", "ccpa"), ("type", "erase"), ("late", "true")) >= 1);
        Assert.Equal(0, Value(samples, "miso_privacy_requests_completed_total", ("regulation", "ccpa"), ("late", "false")));
        var calls = samples.Named("miso_privacy_miso_call_duration_seconds_count",
            ("environment", environment), ("operation", "delete_interactions"), ("status", "200")).Sum(s => s.Value);
        Assert.True(calls >= 1);
        Assert.Contains(samples.Named("miso_privacy_miso_call_duration_seconds_bucket", ("environment", environment), ("operation", "delete_user")),
            s => s.Labels["le"] == "+Inf" && s.Value >= 1);
        // The framework's server metrics carry the route template, never the raw path.
        Assert.Contains(samples.Named("http_server_request_duration_seconds_count"), s => s.Labels.GetValueOrDefault("http_route") == "/api/v1/erasure-requests/{id}");
    }

    static double Value(List<Sample> samples, string name, params (string, string)[] labels) =>
        samples.Named(name, labels).Sum(s => s.Value);
}
