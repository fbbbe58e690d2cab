namespace Miso.Emulator.Environments;

sealed record ResolvedKey(EnvironmentState Environment, bool IsSecret);

sealed class EnvironmentRegistry
{
    readonly Dictionary<string, EnvironmentState> _byName;
    readonly Dictionary<string, ResolvedKey> _byKey = new(StringComparer.Ordinal);

    public EnvironmentRegistry(IReadOnlyList<EmulatedEnvironment> environments)
    {
        if (environments.Count == 0)
            throw new ArgumentException("At least one environment is required.", nameof(environments));

        All = environments.Select(e => new EnvironmentState(e)).ToList();
        _byName = All.ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var state in All)
        {
            _byKey.Add(state.Definition.SecretKey, new ResolvedKey(state, IsSecret: true));
            _byKey.Add(state.Definition.PublishableKey, new ResolvedKey(state, IsSecret: false));
        }
    }

    public IReadOnlyList<EnvironmentState> All { get; }

    public ResolvedKey? ResolveKey(string? key) =>
        key is not null && _byKey.TryGetValue(key, out var resolved) ? resolved : null;

    public EnvironmentState? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Null name selects every environment; an unknown name selects none (null result).</summary>
    public IReadOnlyList<EnvironmentState>? Select(string? name) =>
        name is null ? All : Find(name) is { } one ? [one] : null;
}
