using Miso.Privacy.Infrastructure.Json;
using Scalar.AspNetCore;

namespace Miso.Privacy.Infrastructure.Http;

public static class ApiSetup
{
    public static IServiceCollection AddApiConventions(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        // In this order: a client's broken request is never mistaken for the database being away.
        services.AddExceptionHandler<ClientFaultHandler>();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddOpenApi();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        // The contract is public; every call it describes still needs its key.
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs", o => o.WithTitle("Miso.Privacy API")).AllowAnonymous();
        return app;
    }
}
