namespace Miso.Emulator.Pipeline;

/// <summary>
/// When a request reached the emulator, taken before routing: a call's logged time is when Miso received it, so the
/// first request's route-table build (tens of milliseconds, more on a loaded machine) does not move it later and bunch
/// it with the calls after it.
/// </summary>
sealed class ArrivalTime(DateTimeOffset value)
{
    public DateTimeOffset Value { get; } = value;

    public static Func<HttpContext, RequestDelegate, Task> Stamp(TimeProvider time) => (context, next) =>
    {
        context.Features.Set(new ArrivalTime(time.GetUtcNow()));
        return next(context);
    };

    public static DateTimeOffset Of(HttpContext context, TimeProvider time) =>
        context.Features.Get<ArrivalTime>()?.Value ?? time.GetUtcNow();
}
