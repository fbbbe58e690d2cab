using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.Infrastructure.Telemetry;
using OpenTelemetry.Metrics;

namespace Miso.Privacy.Tests.Infrastructure;

/// <summary>Which of the framework's instruments /metrics leaves out, decided by name before anything is recorded.</summary>
public sealed class MetricViewsTests
{
    [Theory]
    [InlineData("aspnetcore.memory_pool.rented")]
    [InlineData("aspnetcore.memory_pool.pooled")]
    [InlineData("aspnetcore.memory_pool.allocated")]
    [InlineData("aspnetcore.memory_pool.evicted")]
    public void KestrelsBufferPool_CountedOnEveryBlock_IsDropped(string name)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var instrument = meters.Create("Microsoft.AspNetCore.MemoryPool").CreateCounter<long>(name);

        Assert.Same(MetricStreamConfiguration.Drop, TelemetrySetup.Kept(meters)(instrument));
    }

    [Fact]
    public void TheServersRequestDurations_AreKept()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var instrument = meters.Create("Microsoft.AspNetCore.Hosting").CreateHistogram<double>("http.server.request.duration");

        Assert.Null(TelemetrySetup.Kept(meters)(instrument));
    }
}
