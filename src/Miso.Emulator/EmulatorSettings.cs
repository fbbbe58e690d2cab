using Miso.Emulator.Faults;

namespace Miso.Emulator;

public sealed class EmulatorSettings
{
    public static readonly EmulatedEnvironment Production =
        new("production", "emu-production-secret-key", "emu-production-publishable-key");

    public static readonly EmulatedEnvironment Development =
        new("development", "emu-development-secret-key", "emu-development-publishable-key");

    public IReadOnlyList<EmulatedEnvironment> Environments { get; init; } = [Production, Development];

    /// <summary>Faults active from start; <see cref="FaultSettings.Environment"/> null means every environment.</summary>
    public FaultSettings? Faults { get; init; }

    public int CallLogCapacity { get; init; } = 200_000;

    public static EmulatorSettings FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Emulator");
        var environments = section.GetSection("Environments").Get<List<EnvironmentOptions>>()
            ?.Select(e => new EmulatedEnvironment(e.Name, e.SecretKey, e.PublishableKey))
            .ToList();
        return new EmulatorSettings
        {
            Environments = environments is { Count: > 0 } ? environments : [Production, Development],
            Faults = section.GetSection("Faults").Get<FaultSettings>(),
            CallLogCapacity = section.GetValue("CallLogCapacity", 200_000),
        };
    }

    sealed class EnvironmentOptions
    {
        public string Name { get; set; } = "";
        public string SecretKey { get; set; } = "";
        public string PublishableKey { get; set; } = "";
    }
}
