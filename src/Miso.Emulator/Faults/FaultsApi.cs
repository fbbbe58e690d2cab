using Miso.Emulator.Environments;
using Miso.Emulator.Inspection;

namespace Miso.Emulator.Faults;

static class FaultsApi
{
    public static IEndpointRouteBuilder MapFaults(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/_emulator/faults");
        group.MapGet("/", (FaultBook faults) => faults.Current());
        group.MapPost("/", Set);
        group.MapDelete("/", Clear);
        return app;
    }

    static IResult Set(FaultSettings settings, EnvironmentRegistry registry, FaultBook faults)
    {
        if (registry.Select(settings.Environment) is not { } selected)
            return InspectionApi.UnknownEnvironment(settings.Environment);
        if (settings.Problems().ToList() is { Count: > 0 } problems)
            return Results.Json(new { message = string.Join(" ", problems) }, statusCode: StatusCodes.Status400BadRequest);

        faults.Set(settings, selected.Select(e => e.Name));
        return Results.Json(faults.Current());
    }

    static IResult Clear(FaultBook faults)
    {
        faults.Clear();
        return Results.Json(new { message = "faults cleared" });
    }
}
