using System.Text;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Forwarding;

/// <summary>
/// Miso's <c>GET /v1/users/{user_id}</c>, a secret key's read of a stored user record. A suppressed user's record
/// was deleted (or is about to be) by the erasure jobs, and Miso must not hear their id again: the service answers
/// as Miso answers for a user it does not hold. Any other read passes through.
/// </summary>
/// <remarks>Only secret keys get this far (publishable ones get Miso's refusal from the service), so the answer is no oracle for the public.</remarks>
public static class ReadUser
{
    public static async Task Handle(HttpContext http, MisoKeys keys, MisoForwarder forwarder, SuppressionSync suppressions)
    {
        var arrivedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        if (DeleteUsers.Refusal(http, keys, out var key) is { } refused)
        {
            await refused.ExecuteAsync(http);
            return;
        }
        try
        {
            await suppressions.EnsureCurrentAsync(arrivedAt, http.RequestAborted);
        }
        catch (Exception) when (!http.RequestAborted.IsCancellationRequested)
        {
            await MisoAnswers.Message("The service cannot check erasures right now; nothing was forwarded. Retry later.",
                StatusCodes.Status503ServiceUnavailable).ExecuteAsync(http);
            return;
        }

        var isSuppressed = suppressions.For(key!.Environment);
        var named = http.Request.Query["userId"].Prepend(RawRoute.Decoded(http, "user_id"));
        if (named.Any(id => id is not null && isSuppressed(SubjectKind.UserId, Encoding.UTF8.GetBytes(id))))
        {
            await MisoAnswers.Message("not found", StatusCodes.Status404NotFound).ExecuteAsync(http);
            return;
        }
        await forwarder.ForwardAsync(http, key);
    }
}
