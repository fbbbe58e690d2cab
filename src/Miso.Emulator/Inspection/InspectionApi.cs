using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Miso.Emulator.Environments;
using Miso.Emulator.Faults;

namespace Miso.Emulator.Inspection;

static class InspectionApi
{
    public static IEndpointRouteBuilder MapInspection(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/_emulator");
        group.MapGet("/environments", (EnvironmentRegistry registry) => registry.All.Select(e => e.Definition));
        group.MapGet("/interactions", GetInteractions);
        group.MapGet("/users", GetUsers);
        group.MapGet("/products", GetProducts);
        group.MapGet("/stats", GetStats);
        group.MapGet("/calls", GetCalls);
        group.MapPost("/reset", Reset);
        return app;
    }

    static IResult GetInteractions(
        EnvironmentRegistry registry,
        string? environment,
        [FromQuery(Name = "user_id")] string? userId,
        [FromQuery(Name = "anonymous_id")] string? anonymousId)
    {
        if (registry.Select(environment) is not { } selected)
            return UnknownEnvironment(environment);

        return RawArray(selected.SelectMany(e => e.Interactions.Query(userId, anonymousId).OrderBy(s => s.Sequence).Select(s => s.Json)));
    }

    /// <summary>Writes stored records back byte for byte, as they were accepted.</summary>
    static IResult RawArray(IEnumerable<byte[]> records)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var json in records)
                writer.WriteRawValue(json, skipInputValidation: true);
            writer.WriteEndArray();
        }
        return Results.Bytes(buffer.WrittenMemory.ToArray(), "application/json");
    }

    static IResult GetUsers(EnvironmentRegistry registry, string? environment)
    {
        if (registry.Select(environment) is not { } selected)
            return UnknownEnvironment(environment);
        return RawArray(selected.SelectMany(e => e.Users.All()));
    }

    static IResult GetProducts(EnvironmentRegistry registry, string? environment)
    {
        if (registry.Select(environment) is not { } selected)
            return UnknownEnvironment(environment);
        return RawArray(selected.SelectMany(e => e.Products.All()).Select(p => JsonSerializer.SerializeToUtf8Bytes(p.Value)));
    }

    static IResult GetStats(EnvironmentRegistry registry, string? environment) =>
        registry.Select(environment) is { } selected
            ? Results.Json(EmulatorStats.Sum(selected.Select(e => e.Stats())))
            : UnknownEnvironment(environment);

    static IResult GetCalls(EnvironmentRegistry registry, CallLog calls, string? environment, int? limit)
    {
        if (environment is not null && registry.Find(environment) is null)
            return UnknownEnvironment(environment);
        return Results.Json(calls.Recent(environment, Math.Max(0, limit ?? 1000)));
    }

    static IResult Reset(EnvironmentRegistry registry, CallLog calls, FaultBook faults)
    {
        foreach (var environment in registry.All)
            environment.Reset();
        calls.Clear();
        faults.Clear();
        return Results.Json(new { message = "reset" });
    }

    public static IResult UnknownEnvironment(string? name) =>
        Results.Json(new { message = $"unknown environment '{name}'." }, statusCode: StatusCodes.Status404NotFound);
}
