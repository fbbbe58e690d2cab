using Microsoft.Extensions.Options;
using Miso.Privacy.Infrastructure.Auth;

namespace Miso.Privacy.Erasure;

public static class ErasureApi
{
    public static IServiceCollection AddErasure(this IServiceCollection services)
    {
        services.AddSingleton<ErasureNotifications>();
        services.AddSingleton<IntakeWriter>();
        services.AddOptions<ComplianceOptions>().BindConfiguration(ComplianceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => Deadlines.From(sp.GetRequiredService<IOptions<ComplianceOptions>>().Value));
        return services;
    }

    public static IEndpointRouteBuilder MapErasureEndpoints(this IEndpointRouteBuilder app)
    {
        var requests = app.MapGroup("/api/v1/erasure-requests").WithTags("Erasure requests");
        requests.MapPost("/", CreateErasureRequest.Handle).RequireAuthorization(Scopes.ErasureWrite);
        requests.MapGet("/", ListErasureRequests.Handle).RequireAuthorization(Scopes.ErasureRead);
        requests.MapGet("/{id}", GetErasureRequest.Handle).RequireAuthorization(Scopes.ErasureRead);
        requests.MapPost("/{id}/cancel", CancelErasureRequest.Handle).RequireAuthorization(Scopes.ErasureWrite);
        requests.MapPost("/{id}/extend", ExtendErasureRequest.Handle).RequireAuthorization(Scopes.ErasureWrite);

        app.MapGet("/api/v1/subjects/{kind}/{**value}", SubjectLookup.Handle)
            .RequireAuthorization(Scopes.ErasureRead).WithTags("Subjects");
        return app;
    }
}
