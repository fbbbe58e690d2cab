using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Telemetry;

/// <summary>
/// The service with Hangfire and the emulator, every log category opened to Trace the way an operator would
/// (configuration), every entry captured; tracing on (to an exporter nobody listens on), every span's tags captured.
/// </summary>
public sealed class TelemetryApp : ExecutionApp
{
    static readonly string[] Sources = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql"];

    readonly ActivityListener _listener;

    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>Every tag and name of every finished span of the instrumented sources, in this process.</summary>
    public ConcurrentQueue<(string Source, string Name, Dictionary<string, string?> Tags)> Spans { get; } = new();

    public TelemetryApp()
    {
        foreach (var category in new[] { "Default", "Microsoft", "Microsoft.AspNetCore", "Microsoft.AspNetCore.Hosting.Diagnostics",
                     "Microsoft.EntityFrameworkCore", "System", "System.Net.Http.HttpClient", "Hangfire", "Npgsql", "Polly" })
            ExtraSettings[$"Logging:LogLevel:{category}"] = "Trace";
        // Room for a cancel to land before the drain claims the request.
        ExtraSettings["Execution:BatchWindow"] = "00:00:02";
        var sink = $"http://127.0.0.1:{FreePort.Next()}";
        Outbound.Plan(new Uri(sink));
        ExtraSettings["Telemetry:OtlpEndpoint"] = sink;
        TestServices = services => services.AddSingleton<ILoggerProvider>(Logs);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => Sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => Spans.Enqueue((activity.Source.Name, activity.DisplayName,
                activity.TagObjects.ToDictionary(t => t.Key, t => t.Value?.ToString()))),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public override async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await base.DisposeAsync();
    }
}
