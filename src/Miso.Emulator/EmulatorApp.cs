using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Miso.Emulator.Engine;
using Miso.Emulator.Environments;
using Miso.Emulator.Faults;
using Miso.Emulator.Inspection;
using Miso.Emulator.Interactions;
using Miso.Emulator.Pipeline;
using Miso.Emulator.Products;
using Miso.Emulator.Users;

namespace Miso.Emulator;

/// <summary>The one place the emulator's app is assembled, for both the standalone host and <see cref="EmulatorServer"/>.</summary>
public static class EmulatorApp
{
    public static WebApplication Build(WebApplicationBuilder builder, EmulatorSettings settings)
    {
        AddEmulator(builder.Services, settings);
        var app = builder.Build();
        app.Use(ArrivalTime.Stamp(app.Services.GetRequiredService<TimeProvider>()));
        app.UseRouting();
        app.UseMiddleware<MisoApiMiddleware>();
        app.MapInteractions();
        app.MapUsers();
        app.MapProducts();
        app.MapEngine();
        app.MapInspection();
        app.MapFaults();
        return app;
    }

    static void AddEmulator(IServiceCollection services, EmulatorSettings settings)
    {
        var registry = new EnvironmentRegistry(settings.Environments);
        var faults = new FaultBook(TimeProvider.System);
        if (settings.Faults is { } initial)
        {
            if (initial.Problems().FirstOrDefault() is { } problem)
                throw new InvalidOperationException($"Emulator:Faults is invalid: {problem}");
            var targets = registry.Select(initial.Environment)
                ?? throw new InvalidOperationException($"Emulator:Faults names unknown environment '{initial.Environment}'.");
            faults.Set(initial, targets.Select(e => e.Name));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(registry);
        services.AddSingleton(faults);
        services.AddSingleton(new CallLog(settings.CallLogCapacity));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
    }
}
