using Microsoft.Extensions.Options;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Webhooks;

namespace Miso.Privacy.OpenDsr;

/// <summary>
/// The service as an OpenDSR 2.0 processor: compliance platforms file, follow and cancel erasure requests the way they drive
/// other processors. A controller is an API key (its name is the controller_id); its requests are ordinary erasure
/// requests, with their legal clock, suppression, audit trail and webhooks.
/// </summary>
public static class OpenDsrApi
{
    public static IServiceCollection AddOpenDsr(this IServiceCollection services)
    {
        services.AddOptions<OpenDsrOptions>().BindConfiguration(OpenDsrOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OpenDsrOptions>, OpenDsrOptionsValidation>();
        services.AddSingleton(sp => ProcessorIdentity.Load(sp.GetRequiredService<IOptions<OpenDsrOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<OpenDsrCallbacks>().AddSingleton<ICallbackFormat>(sp => sp.GetRequiredService<OpenDsrCallbacks>());
        return services;
    }

    public static IEndpointRouteBuilder MapOpenDsr(this IEndpointRouteBuilder app)
    {
        var opendsr = app.MapGroup("/opendsr/v1").WithTags("OpenDSR");
        // Controllers fetch these to verify our signatures (§8.8), before and without any key: what they describe is public.
        opendsr.MapGet("/discovery", Discovery).AllowAnonymous();
        opendsr.MapGet("/certificate", Certificate).AllowAnonymous();
        opendsr.MapPost("/requests", CreateOpenDsrRequest.Handle).RequireAuthorization(Scopes.ErasureWrite);
        opendsr.MapGet("/requests/{subjectRequestId}", GetOpenDsrRequest.Handle).RequireAuthorization(Scopes.ErasureRead);
        opendsr.MapDelete("/requests/{subjectRequestId}", CancelOpenDsrRequest.Handle).RequireAuthorization(Scopes.ErasureWrite);
        return app;
    }

    /// <summary>The certificate's address is on the host the controller asked, so its domain matches the discovery's (§6.3).</summary>
    static IResult Discovery(HttpRequest http, ProcessorIdentity identity) => !identity.Enabled ? OpenDsrResult.NotEnabled()
        : new OpenDsrResult(StatusCodes.Status200OK, new OpenDsrDiscovery(OpenDsrJson.ApiVersion,
            [new SupportedIdentity(OpenDsrRequestReader.ControllerCustomerId, OpenDsrRequestReader.Raw)], ["erasure"],
            $"{http.Scheme}://{http.Host}{http.PathBase}/opendsr/v1/certificate"));

    static IResult Certificate(ProcessorIdentity identity) => !identity.Enabled ? OpenDsrResult.NotEnabled()
        : TypedResults.Text(identity.CertificatePem!, "application/x-pem-file");
}
