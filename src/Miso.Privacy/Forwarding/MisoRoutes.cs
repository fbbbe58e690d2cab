namespace Miso.Privacy.Forwarding;

/// <summary>
/// The Miso-compatible routes (<c>/v1</c>) in the request pipeline. They answer to Miso keys, which each handler
/// checks, and are limited per Miso key; the management API's key authentication, authorization and rate limit have
/// nothing to decide for them, and cost every forwarded call their time. So their calls leave the pipeline before
/// those run, and meet only their own limit. Status-code pages are the management API's too: every <c>/v1</c> answer
/// is Miso's own, relayed as it came, or one worded in Miso's shape.
/// </summary>
public static class MisoRoutes
{
    /// <summary>Marks an endpoint as Miso-compatible (the <c>/v1</c> groups carry it).</summary>
    public sealed class Marker
    {
        public static readonly Marker Instance = new();

        Marker() { }
    }

    /// <summary>A group of Miso-compatible routes: anonymous to the management API, limited per Miso key, run by <see cref="UseMisoRoutes"/>.</summary>
    public static RouteGroupBuilder MapMisoGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).WithTags("Miso-compatible").AllowAnonymous().RequireRateLimiting(MisoRateLimit.Policy).WithMetadata(Marker.Instance);

    /// <summary>Decided on the endpoint routing picked, not on the path: a route that is not marked keeps the management API's deny by default.</summary>
    public static bool IsMisoRoute(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<Marker>() is not null;

    /// <summary>
    /// Runs a Miso-compatible route's endpoint after its per-key limit, and nothing of the pipeline after this call.
    /// Its limit lives only here (<see cref="MisoRateLimit"/>): the main limiter knows no policy of that name, so a
    /// route marked with it that the branch does not take fails loudly there.
    /// </summary>
    public static IApplicationBuilder UseMisoRoutes(this IApplicationBuilder app) => app.MapWhen(IsMisoRoute, miso =>
    {
        var limit = miso.ApplicationServices.GetRequiredService<MisoRateLimit>();
        RequestDelegate endpoint = context => context.GetEndpoint()!.RequestDelegate!(context);
        miso.Run(context => limit.InvokeAsync(context, endpoint));
    });
}
