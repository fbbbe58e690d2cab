using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Audit;

/// <summary>
/// The drain's appends collect their events and write them in one statement at the end of the transaction, outside EF
/// Core's change tracker: the chain must stay one chain, in the order the events were added, whatever else the transaction
/// appends before or after, and a status event must still get its outbox rows.
/// </summary>
public sealed class PendingAuditTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    static readonly DateTimeOffset First = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task PendingEvents_ContinueTheChain_InTheirOrder_BeforeAndAfterTrackedAppends_AndGetTheirDeliveries()
    {
        var writer = app.ClientFor(TestKeys.Writer);
        await (await writer.PostAsync("/api/v1/webhooks/callback-secret", null)).JsonAsync(HttpStatusCode.Created);
        var created = await (await writer.PostJsonAsync("/api/v1/erasure-requests",
            """{"user_ids": ["pending-audit"], "requested_by": "t", "callback_url": "https://example.com/cb"}""")).JsonAsync(HttpStatusCode.Created);
        var requestId = Guid.Parse(created.Str("id"));
        long before;
        await using (var db = app.NewDb())
            before = await db.AuditEvents.MaxAsync(e => e.Seq);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrivacyDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            // Alone in its transaction: the events go in one statement, the outbox's rows through the SaveChanges.
            var pending = new PendingAudit();
            pending.Add("first", First, [new AuditEntry("test.one"), new AuditEntry("request.in_progress", requestId)]);
            pending.Add("second", First.AddSeconds(1), new AuditEntry("test.two", null, null, new { n = 2 }));
            await pending.AppendAsync(db, default);
            Assert.Empty(db.ChangeTracker.Entries<AuditEvent>());
            // A tracked append after them reads the head they left.
            await AuditLog.AppendAsync(db, "third", First.AddSeconds(2), new AuditEntry("test.three"), default);
            // And pending events after a tracked append continue its unsaved events.
            pending.Add("fourth", First.AddSeconds(3), new AuditEntry("test.four"));
            await pending.AppendAsync(db, default);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await using (var db = app.NewDb())
        {
            var events = await db.AuditEvents.Where(e => e.Seq > before).OrderBy(e => e.Seq).ToListAsync();
            Assert.Equal(["test.one", "request.in_progress", "test.two", "test.three", "test.four"], events.Select(e => e.Action));
            Assert.Equal(Enumerable.Range(1, 5).Select(i => before + i), events.Select(e => e.Seq));
            Assert.Equal(["first", "first", "second", "third", "fourth"], events.Select(e => e.Actor));
            Assert.Equal(First.AddSeconds(1), events[2].OccurredAt);
            Assert.Equal(requestId, events[1].RequestId);
            Assert.Equal("""{"n": 2}""", events[2].Details);
            var verification = await AuditChainVerifier.VerifyAsync(db, default);
            Assert.True(verification.Intact, verification.Problem);
            Assert.Equal(before + 5, verification.Head!.Seq);
            var delivery = await db.WebhookDeliveries.SingleAsync(d => d.EventSeq == before + 2);
            Assert.Equal("request.in_progress", delivery.EventType);
            Assert.Equal(requestId, delivery.RequestId);
            Assert.Equal("https://example.com/cb", delivery.Url);
        }
    }
}
