using Microsoft.AspNetCore.Diagnostics;

namespace Miso.Privacy.Infrastructure.Http;

/// <summary>
/// A request the server itself found broken while the handler read it: a body arriving slower than Kestrel's
/// <c>MinRequestBodyDataRate</c> (408), a malformed chunked body (400). That is the client's fault, not ours: it
/// gets its status as problem+json, and the log gets one Information line without a stack trace, so a slow client
/// cannot turn into a stream of errors.
/// </summary>
sealed partial class ClientFaultHandler(ILogger<ClientFaultHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException fault || context.Response.HasStarted)
            return false;
        var slow = fault.StatusCode == StatusCodes.Status408RequestTimeout;
        // A fixed reason, not the exception's message: some (parameter binding's) quote what the client sent.
        LogClientFault(logger, fault.StatusCode, slow ? "the body arrived slower than the minimum data rate" : "the request could not be read");
        await Problems.Field("body", slow
            ? "The request body arrived too slowly; send it again at a steady pace."
            : "The request could not be read.", fault.StatusCode).ExecuteAsync(context);
        return true;
    }

    [LoggerMessage(LogLevel.Information, "Request refused with {Status}: {Reason}")]
    static partial void LogClientFault(ILogger logger, int status, string reason);
}
