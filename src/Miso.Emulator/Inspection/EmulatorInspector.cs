using System.Text.Json;
using Miso.Emulator.Faults;

namespace Miso.Emulator.Inspection;

/// <summary>Typed client for the emulator's <c>/_emulator</c> inspection and fault API.</summary>
public sealed class EmulatorInspector(HttpClient http)
{
    public async Task<IReadOnlyList<EmulatedEnvironment>> GetEnvironmentsAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<List<EmulatedEnvironment>>("_emulator/environments", cancellationToken);

    public async Task<EmulatorStats> GetStatsAsync(string? environment = null, CancellationToken cancellationToken = default) =>
        await GetAsync<EmulatorStats>($"_emulator/stats{Query(("environment", environment))}", cancellationToken);

    public async Task<IReadOnlyList<EmulatorCall>> GetCallsAsync(
        string? environment = null, int limit = 1000, CancellationToken cancellationToken = default) =>
        await GetAsync<List<EmulatorCall>>(
            $"_emulator/calls{Query(("environment", environment), ("limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)))}",
            cancellationToken);

    public async Task<IReadOnlyList<JsonElement>> GetInteractionsAsync(
        string? environment = null, string? userId = null, string? anonymousId = null, CancellationToken cancellationToken = default) =>
        await GetAsync<List<JsonElement>>(
            $"_emulator/interactions{Query(("environment", environment), ("user_id", userId), ("anonymous_id", anonymousId))}",
            cancellationToken);

    public async Task<IReadOnlyList<JsonElement>> GetUsersAsync(string? environment = null, CancellationToken cancellationToken = default) =>
        await GetAsync<List<JsonElement>>($"_emulator/users{Query(("environment", environment))}", cancellationToken);

    public async Task<IReadOnlyList<JsonElement>> GetProductsAsync(string? environment = null, CancellationToken cancellationToken = default) =>
        await GetAsync<List<JsonElement>>($"_emulator/products{Query(("environment", environment))}", cancellationToken);

    public async Task<IReadOnlyList<FaultSettings>> GetFaultsAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<List<FaultSettings>>("_emulator/faults", cancellationToken);

    public async Task SetFaultsAsync(FaultSettings faults, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("_emulator/faults", faults, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    public async Task ClearFaultsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync("_emulator/faults", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync("_emulator/reset", content: null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    async Task<T> GetAsync<T>(string uri, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
            ?? throw new InvalidOperationException($"The emulator returned an empty body for {uri}.");
    }

    static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new HttpRequestException(
            $"Emulator call {response.RequestMessage?.RequestUri} failed with {(int)response.StatusCode}: {body}",
            inner: null, response.StatusCode);
    }

    static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => p.Value is not null)
            .Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}")
            .ToList();
        return present.Count == 0 ? "" : "?" + string.Join("&", present);
    }
}
