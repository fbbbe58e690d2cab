using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Erasure;

/// <summary>Which rule refuses an extension: a 409 for the request's state, a 400 for the evidence given.</summary>
public sealed record ExtensionRefusal(string Field, string Message, int Status)
{
    public ProblemHttpResult ToProblem() => Problems.Field(Field, Message, Status);
}

/// <summary>
/// When a request may be extended (GDPR Art. 12(3), CCPA §7021(b)): once, while open and not yet past its
/// original due date, with notice given between submission and now. The endpoint enforces the same
/// conditions in its conditional update; this tells the caller which one failed.
/// </summary>
public static class ExtensionRules
{
    public static (DateTimeOffset? DueAt, ExtensionRefusal? Refusal) Check(
        ErasureRequest request, DateTimeOffset notifiedAt, DateTimeOffset now, Deadlines deadlines)
    {
        if (!request.IsOpen)
            return Refuse("status", $"Only an open request (pending, in_progress or failed) can be extended; this one is {Text(request.Status)}.");
        if (request.ExtendedAt is { } extendedAt)
            return Refuse("extended_at", $"This request was already extended at {Time(extendedAt)}; a request can be extended once.");
        if (request.DueAt < now)
            return Refuse("due_at", $"Its due date {Time(request.DueAt)} has passed; an extension must be made before the original deadline.");
        if (deadlines.ExtendedDueAt(request.Regulation, request.DueAt) is not { } dueAt)
            return Refuse("regulation",
                $"Requests under {SnakeCaseEnumConverter<Regulation>.ToText(request.Regulation)} cannot be extended: no extension is configured (Compliance:Extensions:Other).");
        if (notifiedAt < request.SubmittedAt)
            return Refuse("notified_at", $"Must not be before the request was submitted ({Time(request.SubmittedAt)}).", StatusCodes.Status400BadRequest);
        if (notifiedAt > now)
            return Refuse("notified_at", "Must not be in the future: it is when the person was told.", StatusCodes.Status400BadRequest);
        return (dueAt, null);
    }

    static (DateTimeOffset?, ExtensionRefusal?) Refuse(string field, string message, int status = StatusCodes.Status409Conflict) =>
        (null, new ExtensionRefusal(field, message, status));

    static string Text(RequestStatus status) => SnakeCaseEnumConverter<RequestStatus>.ToText(status);

    static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
