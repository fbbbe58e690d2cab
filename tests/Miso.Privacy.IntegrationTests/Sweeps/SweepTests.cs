using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Execution;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.Retention;

namespace Miso.Privacy.IntegrationTests.Sweeps;

/// <summary>
/// Erasure that stays erased: data that reaches Miso around the service after completion is deleted again by the
/// sweeps, and after the last one the kept identifiers can no longer be read by anyone.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class SweepTests(SweepApp app) : IClassFixture<SweepApp>
{
    static readonly RetentionEnvelope Envelope = new(Convert.FromBase64String(TestKeys.RetentionKey));

    [Fact]
    public async Task DataUploadedAroundTheService_IsDeletedByTheFirstSweep_AndTheIdsAreShreddedAfterTheLast()
    {
        var client = app.ClientFor(TestKeys.All);
        var user = $"comes-back-{Guid.NewGuid():N}";
        await app.SeedInteractionsAsync([user]);
        var id = await Erasures.CreateAsync(client, [user]);
        var completed = (await Erasures.WaitForAsync(client, [id], "completed"))[id];
        var requestId = Guid.Parse(id);

        // Kept, but only sealed: no raw value in the row, the sealed one opens to the id under the request's key.
        await using (var db = app.NewDb())
        {
            var subject = await db.RequestSubjects.AsNoTracking().SingleAsync(s => s.RequestId == requestId);
            var request = await db.ErasureRequests.AsNoTracking().SingleAsync(r => r.Id == requestId);
            Assert.Null(subject.Value);
            Assert.Equal(user, RetentionEnvelope.Open(Envelope.Unwrap(requestId, request.DataKey!), requestId, subject.Id, subject.SealedValue!));
            Assert.Null(request.ShreddedAt);
        }
        var schedule = completed.GetProperty("sweeps").EnumerateArray().ToList();
        Assert.Equal([1, 2], schedule.Select(s => s.GetProperty("round").GetInt32()));
        // Each sweep will delete the id again in both environments, both ways; its items are planned when it comes due.
        Assert.All(schedule, s => Assert.Equal(("scheduled", 4, 0, 0),
            (s.Str("state"), s.GetProperty("pending").GetInt32(), s.GetProperty("deleted").GetInt32(), s.GetProperty("failed").GetInt32())));
        await using (var db = app.NewDb())
        {
            var planned = await db.SweepItems.AnyAsync(i => i.RequestId == requestId);
            Assert.True(DateTimeOffset.UtcNow < completed.GetProperty("completed_at").GetDateTimeOffset().AddSeconds(SweepApp.FirstSweepSeconds),
                "the first sweep was due before the check; the test proves nothing");
            Assert.False(planned, "sweep items planned at completion, before any sweep was due");
        }
        var completedAt = completed.GetProperty("completed_at").GetDateTimeOffset();
        Assert.Equal([completedAt.AddSeconds(SweepApp.FirstSweepSeconds), completedAt.AddSeconds(SweepApp.LastSweepSeconds)],
            schedule.Select(s => s.GetProperty("due_at").GetDateTimeOffset()));
        Assert.Equal(JsonValueKind.Null, completed.GetProperty("shredded_at").ValueKind);
        Assert.All(completed.GetProperty("subjects").EnumerateArray(), s => Assert.Equal(JsonValueKind.Null, s.GetProperty("value").ValueKind));

        // A page using Miso's SDK unchanged: straight to Miso, around the service.
        await app.SeedInteractionsAsync([user]);
        Assert.True(DateTimeOffset.UtcNow < completedAt.AddSeconds(SweepApp.FirstSweepSeconds), "the upload came after the first sweep was due; the test proves nothing");
        foreach (var environment in app.Emulator.Environments)
            Assert.Single(await app.Inspector.GetInteractionsAsync(environment.Name, userId: user));

        var first = await WaitForSweepAsync(client, id, 1);
        Assert.Equal("deleted", first.Str("state"));
        Assert.Equal((0, 4, 0), (first.GetProperty("pending").GetInt32(), first.GetProperty("deleted").GetInt32(), first.GetProperty("failed").GetInt32()));
        foreach (var environment in app.Emulator.Environments)
        {
            Assert.Empty(await app.Inspector.GetInteractionsAsync(environment.Name, userId: user));
            Assert.DoesNotContain(await app.Inspector.GetUsersAsync(environment.Name), u => u.GetProperty("user_id").GetString() == user);
        }

        await WaitForSweepAsync(client, id, 2);
        var done = await (await client.GetAsync($"/api/v1/erasure-requests/{id}")).JsonAsync(HttpStatusCode.OK);
        var shreddedAt = done.GetProperty("shredded_at").GetDateTimeOffset();
        Assert.True(shreddedAt >= completedAt.AddSeconds(SweepApp.LastSweepSeconds));
        var timeline = done.GetProperty("timeline").EnumerateArray().ToList();
        var actions = timeline.Select(e => e.Str("action")).Where(a => a.StartsWith("request.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["request.created", "request.in_progress", "request.completed", "request.swept", "request.swept", "request.shredded"], actions);
        var swept = timeline.Where(e => e.Str("action") == "request.swept").Select(e => e.GetProperty("details")).ToList();
        Assert.All(swept, d =>
        {
            Assert.Equal("deleted", d.Str("outcome"));
            Assert.Equal(1, d.GetProperty("ids").GetInt32());
            Assert.Equal(app.Emulator.Environments.Select(e => e.Name).Order(StringComparer.Ordinal),
                d.GetProperty("environments").EnumerateArray().Select(e => e.GetString()));
            Assert.All(d.GetProperty("answers").EnumerateArray(), a => Assert.Equal(200, a.GetProperty("status").GetInt32()));
            Assert.Equal(4, d.GetProperty("answers").EnumerateArray().Sum(a => a.GetProperty("items").GetInt32()));
        });
        Assert.Equal([1, 2], swept.Select(d => d.GetProperty("round").GetInt32()));
        Assert.DoesNotContain(user, done.GetRawText());

        // The ciphertext is still stored, and nothing can open it: the wrapped key is gone, and no other key will do.
        await using (var db = app.NewDb())
        {
            var subject = await db.RequestSubjects.AsNoTracking().SingleAsync(s => s.RequestId == requestId);
            var request = await db.ErasureRequests.AsNoTracking().SingleAsync(r => r.Id == requestId);
            Assert.Null(request.DataKey);
            Assert.NotNull(subject.SealedValue);
            Assert.Null(subject.Value);
            var (stranger, _) = Envelope.NewDataKey(requestId);
            Assert.ThrowsAny<CryptographicException>(() => RetentionEnvelope.Open(stranger, requestId, subject.Id, subject.SealedValue!));
            Assert.Equal(shreddedAt, request.ShreddedAt);
            Assert.Equal(8, await db.SweepItems.CountAsync(i => i.RequestId == requestId && i.State == WorkItemState.Deleted));
        }
        var verify = await (await client.GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());

        var row = await ReportRowAsync(client, id);
        Assert.Equal((2, 2, 0), (row.GetProperty("sweeps_scheduled").GetInt32(), row.GetProperty("sweeps_done").GetInt32(), row.GetProperty("sweeps_failed").GetInt32()));
        Assert.Equal(shreddedAt, row.GetProperty("shredded_at").GetDateTimeOffset());

        // A restore replay can no longer reach it, and says so by name.
        var replay = await (await app.ClientFor(TestKeys.Admin).PostJsonAsync("/api/v1/sweeps",
            $$"""{"completed_after": "{{completedAt.AddSeconds(-1):O}}", "reason": "Miso restored last week's backup"}""")).JsonAsync(HttpStatusCode.Accepted);
        Assert.Contains(id, replay.GetProperty("out_of_reach").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(replay.GetProperty("out_of_reach").GetArrayLength(), replay.GetProperty("out_of_reach_count").GetInt32());
    }

    public static async Task<JsonElement> ReportRowAsync(HttpClient client, string id)
    {
        var today = DateTime.UtcNow.Date;
        var rows = await (await client.GetAsync($"/api/v1/reports/erasures?from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(2):yyyy-MM-dd}&format=json"))
            .JsonAsync(HttpStatusCode.OK);
        return Assert.Single(rows.EnumerateArray(), r => r.Str("id") == id);
    }

    static async Task<JsonElement> WaitForSweepAsync(HttpClient client, string id, int round)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var detail = await (await client.GetAsync($"/api/v1/erasure-requests/{id}")).JsonAsync(HttpStatusCode.OK);
            var sweep = detail.GetProperty("sweeps").EnumerateArray().Single(s => s.GetProperty("round").GetInt32() == round);
            if (sweep.Str("state") is "deleted" or "failed")
                return sweep;
            Assert.True(DateTime.UtcNow < deadline, $"sweep {round} still {sweep.Str("state")}: {detail}");
            await Task.Delay(250);
        }
    }
}
