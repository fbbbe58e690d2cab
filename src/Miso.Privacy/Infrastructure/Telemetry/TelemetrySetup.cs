using System.Diagnostics.Metrics;
using Miso.Privacy.Forwarding;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Miso.Privacy.Infrastructure.Telemetry;

public static class TelemetrySetup
{
    public const string ServiceName = "miso-privacy";

    /// <summary>
    /// Metrics always (scraped at /metrics); traces only when an OTLP endpoint is configured, through
    /// <c>Telemetry:OtlpEndpoint</c> or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PrivacyMetrics>().AddSingleton<BacklogGauges>();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithMetrics(metrics => metrics
                .AddMeter(PrivacyMetrics.MeterName, ForwardingMetrics.MeterName)
                // http.server.request.duration is labelled with the route template, never the raw path.
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddPrometheusExporter());
        services.ConfigureOpenTelemetryMeterProvider((sp, builder) => builder.AddView(Kept(sp.GetRequiredService<IMeterFactory>())));

        var endpoint = configuration["Telemetry:OtlpEndpoint"] is { Length: > 0 } own ? own : null;
        if (endpoint is null && string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            return services;
        telemetry.WithTracing(tracing => tracing
            .AddAspNetCoreInstrumentation(o =>
            {
                o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics") && !http.Request.Path.StartsWithSegments("/health");
                o.EnrichWithHttpRequest = TraceRedaction.ServerRequest;
            })
            // Request headers are never recorded by this instrumentation, so X-API-KEY stays out.
            .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = TraceRedaction.ClientRequest)
            // Npgsql's own spans (EF Core goes through it): statement text with placeholders, never parameter values.
            .AddSource("Npgsql")
            .AddOtlpExporter(o =>
            {
                if (endpoint is not null)
                    o.Endpoint = new Uri(endpoint);
            }));
        return services;
    }

    /// <summary>
    /// The SDK listens by meter name process-wide; a meter made by another host's factory (tests run several
    /// hosts in one process) belongs to that host's /metrics, not this one's. Of the framework's instruments, those
    /// recorded on every call that the request and client durations already tell (their counts by route, status and
    /// host) are dropped: each is a measurement per forwarded call, and a dropped instrument is not recorded at all.
    /// So is Kestrel's buffer pool (.NET 10), counted on every 4 KB block rented and returned: several measurements
    /// per forwarded call, more per upload, for a figure about the server's buffers rather than the service.
    /// </summary>
    internal static Func<Instrument, MetricStreamConfiguration?> Kept(IMeterFactory own) => instrument =>
        (instrument.Meter.Scope is IMeterFactory scope && !ReferenceEquals(scope, own)) || PerCallDuplicates.Contains(instrument.Name)
            ? MetricStreamConfiguration.Drop
            : null;

    static readonly HashSet<string> PerCallDuplicates =
    [
        "aspnetcore.routing.match_attempts",
        "aspnetcore.rate_limiting.active_request_leases",
        "aspnetcore.rate_limiting.request_lease.duration",
        "aspnetcore.rate_limiting.queued_requests",
        "aspnetcore.rate_limiting.request.time_in_queue",
        "aspnetcore.rate_limiting.requests",
        "aspnetcore.authentication.authenticate.duration",
        "aspnetcore.authorization.attempts",
        "http.client.active_requests",
        "http.client.open_connections",
        "http.client.request.time_in_queue",
        "aspnetcore.memory_pool.rented",
        "aspnetcore.memory_pool.pooled",
        "aspnetcore.memory_pool.allocated",
        "aspnetcore.memory_pool.evicted",
    ];

    /// <summary>Anonymous, like the health checks: counts and closed label sets only, nothing about a subject.</summary>
    public static IEndpointRouteBuilder MapTelemetry(this WebApplication app)
    {
        // Observable gauges exist from their meter's creation: make them before the first scrape.
        app.Services.GetRequiredService<BacklogGauges>();
        app.Services.GetRequiredService<ForwardingMetrics>();
        app.MapPrometheusScrapingEndpoint().WithTags("Telemetry").AllowAnonymous();
        return app;
    }
}
