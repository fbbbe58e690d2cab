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
        services.ConfigureOpenTelemetryMeterProvider((sp, builder) => builder.AddView(OnlyOwnMeters(sp.GetRequiredService<IMeterFactory>())));

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
    /// hosts in one process) belongs to that host's /metrics, not this one's.
    /// </summary>
    static Func<Instrument, MetricStreamConfiguration?> OnlyOwnMeters(IMeterFactory own) => instrument =>
        instrument.Meter.Scope is IMeterFactory scope && !ReferenceEquals(scope, own) ? MetricStreamConfiguration.Drop : null;

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
