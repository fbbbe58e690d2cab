using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Webhooks;

/// <summary>
/// Whether a request's <c>callback_url</c> can be accepted: a destination the address rules allow (its host name is resolved
/// at delivery, not on the request path), and a callback secret for the key that files it, without which nothing could be signed.
/// </summary>
public sealed class CallbackRules(IOptions<WebhookOptions> options)
{
    public const string Field = "callback_url";

    public async Task<ProblemHttpResult?> CheckAsync(PrivacyDbContext db, string url, string keyName, CancellationToken ct)
    {
        if (Destinations.Problem(url, options.Value.AllowPrivateNetworks) is { } problem)
            return Problems.Field(Field, problem);
        return await db.CallbackSecrets.AnyAsync(s => s.KeyName == keyName, ct) ? null
            : Problems.Field(Field, "This API key has no callback secret to sign its callbacks with: make one first with POST /api/v1/webhooks/callback-secret.");
    }
}
