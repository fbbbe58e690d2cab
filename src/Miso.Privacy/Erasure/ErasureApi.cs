using Miso.Privacy.Infrastructure.Auth;

namespace Miso.Privacy.Erasure;

public static class ErasureApi
{
    public static IServiceCollection AddErasure(this IServiceCollection services)
    {
        services.AddOptions<SubjectHashingOptions>().BindConfiguration(SubjectHashingOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SubjectHasher>();
        services.AddSingleton<ErasureNotifications>();
        return services;
    }

    public static IEndpointRouteBuilder MapErasureEndpoints(this IEndpointRouteBuilder app)
    {
        var requests = app.MapGroup("/api/v1/erasure-requests").WithTags("Erasure requests");
        requests.MapPost("/", CreateErasureRequest.Handle).RequireAuthorization(Scopes.ErasureWrite);
        requests.MapGet("/", ListErasureRequests.Handle).RequireAuthorization(Scopes.ErasureRead);
        requests.MapGet("/{id}", GetErasureRequest.Handle).RequireAuthorization(Scopes.ErasureRead);
        requests.MapPost("/{id}/cancel", CancelErasureRequest.Handle).RequireAuthorization(Scopes.ErasureWrite);

        app.MapGet("/api/v1/subjects/{kind}/{**value}", SubjectLookup.Handle)
            .RequireAuthorization(Scopes.ErasureRead).WithTags("Subjects");
        app.MapDelete("/api/v1/suppressions/{kind}/{**value}", LiftSuppression.Handle)
            .RequireAuthorization(Scopes.SuppressionWrite).WithTags("Suppressions");
        return app;
    }
}
