using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.Infrastructure.Json;

namespace Miso.Privacy.Webhooks;

public static class CreateWebhook
{
    public static async Task<Results<Created<CreatedWebhook>, ProblemHttpResult>> Handle(
        HttpRequest http, ClaimsPrincipal user, PrivacyDbContext db, SecretBox secrets, IOptions<WebhookOptions> options, TimeProvider clock,
        CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateWebhookBody>(http, CreateWebhookBody.Expectations, 16 * 1024);
        if (problem is not null)
            return problem;
        var errors = new Dictionary<string, string[]>();
        var (events, eventProblems) = body!.ValidEvents();
        if (eventProblems is not null)
            errors["events"] = eventProblems;
        // Resolved now as well as at every delivery: an endpoint that points inside the network is refused when it is registered.
        if (await Destinations.ResolvedProblemAsync(body.Url!, options.Value.AllowPrivateNetworks, ct) is { } urlProblem)
            errors["url"] = [urlProblem];
        if (errors.Count > 0)
            return Problems.Fields(errors);

        var now = AuditHashing.ToStoredPrecision(clock.GetUtcNow());
        var (shown, key) = WebhookSignature.NewSecret();
        var id = Guid.CreateVersion7(now);
        var webhook = new Webhook
        {
            Id = id, Url = body.Url!, Events = events!, SealedSecret = secrets.Seal(key, SecretBox.WebhookOwner(id)), CreatedAt = now, CreatedBy = user.Actor(),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Under the ledger lock, so two creates cannot both pass the limit.
        await LedgerLock.AcquireAsync(db, ct);
        if (await db.Webhooks.CountAsync(w => w.DeletedAt == null, ct) >= CreateWebhookBody.MaxLiveWebhooks)
            return Problems.Field("url", $"At most {CreateWebhookBody.MaxLiveWebhooks} webhooks; delete one first.", StatusCodes.Status409Conflict);
        db.Webhooks.Add(webhook);
        // The chain keeps where events go, not the whole URL: a path or query may hold the receiver's own token.
        await AuditLog.AppendAsync(db, user.Actor(), now, new AuditEntry("webhook.created", null, null,
            new { id, destination = new Uri(webhook.Url).GetLeftPart(UriPartial.Authority), events }), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created((string?)null, new CreatedWebhook(id, webhook.Url, webhook.Events, now, shown));
    }
}
