using Miso.Emulator.Environments;
using Miso.Emulator.Faults;
using Miso.Emulator.Inspection;

namespace Miso.Emulator.Pipeline;

/// <summary>
/// Everything Miso does before a handler runs, for the <c>/v1</c> routes only: reads the body, resolves the
/// key, injects faults, enforces secret-only routes, and logs the call.
/// </summary>
sealed class MisoApiMiddleware(
    RequestDelegate next, EnvironmentRegistry registry, FaultBook faults, CallLog calls, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1"))
        {
            await next(context);
            return;
        }

        var started = ArrivalTime.Of(context, time);
        Console.WriteLine($"DIAG arrive {context.Request.Path} at {started:HH:mm:ss.fff}");
        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        var key = registry.ResolveKey(ApiKey(context.Request));
        var endpoint = context.GetEndpoint();
        try
        {
            if (key is null)
            {
                var message = endpoint?.Metadata.GetMetadata<InvalidKeyMessage>()?.Message ?? MisoResults.InvalidApiKey;
                await MisoResults.Message(message, StatusCodes.Status401Unauthorized).ExecuteAsync(context);
                return;
            }

            context.Features.Set(new MisoCall(key.Environment, key.IsSecret, body));
            if (await faults.InjectAsync(key.Environment.Name, context.RequestAborted) is { } fault)
            {
                if (fault.RetryAfter)
                    context.Response.Headers.RetryAfter = "1";
                await MisoResults.Message(fault.Message, fault.Status).ExecuteAsync(context);
                return;
            }

            if (!key.IsSecret && endpoint?.Metadata.GetMetadata<SecretKeyOnly>() is not null)
            {
                await MisoResults.Message(MisoResults.SecretKeyRequired, StatusCodes.Status403Forbidden).ExecuteAsync(context);
                return;
            }

            if (endpoint is null)
            {
                await Results.Json(new { detail = "Not Found" }, statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context);
                return;
            }

            await next(context);
            // Routing answers a known path with another method by a bare 405; FastAPI says why in its body.
            if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !context.Response.HasStarted)
                await Results.Json(new { detail = "Method Not Allowed" }, statusCode: StatusCodes.Status405MethodNotAllowed).ExecuteAsync(context);
        }
        catch (Exception) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            throw;
        }
        finally
        {
            var named = CallIdentifiers.Read(body, context);
            calls.Record(new EmulatorCall(
                key?.Environment.Name,
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Response.StatusCode,
                started,
                body.LongLength,
                named.UserIds,
                named.AnonymousIds,
                named.UserHashes));
        }
    }

    static string? ApiKey(HttpRequest request) =>
        request.Query["api_key"].FirstOrDefault() is { Length: > 0 } queryKey
            ? queryKey
            : request.Headers["X-API-KEY"].FirstOrDefault();

    static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
