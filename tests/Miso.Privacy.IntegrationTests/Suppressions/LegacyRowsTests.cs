using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.Audit;
using Miso.Privacy.Erasure;
using Miso.Privacy.Execution;
using Miso.Privacy.IntegrationTests.Dashboard;
using Miso.Privacy.IntegrationTests.Forwarding;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;
using static Miso.Privacy.IntegrationTests.Forwarding.ForwardingApp;

namespace Miso.Privacy.IntegrationTests.Suppressions;

/// <summary>
/// Rows written before environments were recorded carry none (NULL): such a suppression drops uploads to every
/// environment, and such a request covers every configured one, as they did when they were written.
/// </summary>
public sealed class LegacyRowsTests(ForwardingApp app) : IClassFixture<ForwardingApp>
{
    [Fact]
    public async Task ALegacySuppression_DropsEverywhere_AndALiftInOneEnvironment_KeepsTheOthers()
    {
        var user = NewId("legacy");
        var request = await LegacyErasureAsync(user);
        using var client = app.Management;

        Assert.Equal(1, await app.UploadOkAsync(Upload(Record(user)), Secret));
        Assert.Equal(1, await app.UploadOkAsync(Upload(Record(user)), DevelopmentSecret));
        var lookup = await LookupAsync(client, user);
        Assert.Equal(["development", "production"], Names(lookup.GetProperty("environments")));
        Assert.Equal(["development", "production"], Names(Assert.Single(lookup.GetProperty("requests").EnumerateArray()).GetProperty("environments")));
        var detail = await (await client.GetAsync($"/api/v1/erasure-requests/{request}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["development", "production"], detail.GetProperty("environments").EnumerateArray().Select(e => e.Str("environment")));

        await (await client.DeleteJsonAsync($"/api/v1/suppressions/user_id/{user}", """{"reason": "consent", "environments": ["production"]}"""))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal(0, await app.UploadOkAsync(Upload(Record(user)), Secret));
        Assert.Equal(1, await app.UploadOkAsync(Upload(Record(user)), DevelopmentSecret));
        await using var db = app.NewDb();
        var hash = Seed.Hasher.Hash(SubjectKind.UserId, user);
        var rows = await db.Suppressions.AsNoTracking().Where(s => s.Hash == hash).OrderBy(s => s.Id).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.True(rows[0].Environment is null && rows[0].LiftedAt is not null, "The every-environment row was not lifted.");
        Assert.True(rows[1].Environment == "development" && rows[1].LiftedAt is null, "Development lost its suppression.");
        Assert.Equal(rows[0].CreatedAt, rows[1].CreatedAt);
    }

    [Fact]
    public async Task ALegacyPendingRequest_IsPlannedInEveryConfiguredEnvironment()
    {
        var request = Guid.Parse(await LegacyErasureAsync(NewId("legacy-planned")));

        using (var scope = app.Services.CreateScope())
            while (await scope.ServiceProvider.GetRequiredService<WorkPlanner>().PlanAsync(default) > 0) { }

        await using var db = app.NewDb();
        var planned = await db.WorkItems.Where(w => w.RequestId == request).Select(w => w.Environment).Distinct().OrderBy(e => e).ToListAsync();
        Assert.Equal(["development", "production"], planned);
    }

    [Fact]
    public async Task CancellingALegacyRequest_KeepsTheEnvironmentAnotherRequestCovers()
    {
        var user = NewId("legacy-cancelled");
        var legacy = await LegacyErasureAsync(user);
        await app.EraseInAsync(user, "production");
        using var client = app.Management;

        await (await client.PostJsonAsync($"/api/v1/erasure-requests/{legacy}/cancel", """{"reason": "filed in error"}""")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["production"], Names((await LookupAsync(client, user)).GetProperty("environments")));
        Assert.Equal(1, await app.UploadOkAsync(Upload(Record(user)), Secret));
        Assert.Equal(0, await app.UploadOkAsync(Upload(Record(user)), DevelopmentSecret));
    }

    /// <summary>A pending request and its suppression as the previous version wrote them: no environments anywhere.</summary>
    async Task<string> LegacyErasureAsync(string user)
    {
        var now = AuditHashing.ToStoredPrecision(DateTimeOffset.UtcNow);
        var hash = Seed.Hasher.Hash(SubjectKind.UserId, user);
        var request = new ErasureRequest
        {
            Id = Guid.CreateVersion7(), Regulation = Regulation.Gdpr, Status = RequestStatus.Pending, RequestedBy = "support:legacy",
            CreatedBy = "legacy", ReceivedAt = now, SubmittedAt = now, DueAt = now.AddDays(30), UserIdCount = 1,
        };
        request.Subjects.Add(new RequestSubject { Kind = SubjectKind.UserId, Value = user, Hash = hash, Status = SubjectStatus.Pending });
        var lookupKey = unchecked((long)Seed.Hasher.LookupKey(SubjectKind.UserId, user));
        await using (var db = app.NewDb())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.ErasureRequests.Add(request);
            await db.SaveChangesAsync();
            await LedgerLock.AcquireAsync(db, default);
            await db.Database.ExecuteSqlAsync($"""
                WITH v AS (UPDATE privacy.suppression_state SET version = version + 1 WHERE id = 1 RETURNING version)
                INSERT INTO privacy.suppressions (kind, hash, lookup_key, created_at, request_id, version)
                SELECT 'user_id', {hash}, {lookupKey}, {now}, {request.Id}, v.version FROM v
                """);
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({SuppressionWriter.Channel}, (SELECT version::text FROM privacy.suppression_state WHERE id = 1))");
            await AuditLog.AppendAsync(db, "legacy", now, new AuditEntry("request.created", request.Id), default);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        // As a writer does: return once every instance's lease holds the change.
        await app.Services.GetRequiredService<SuppressionPropagation>().WaitAsync(default);
        return request.Id.ToString();
    }

    static async Task<JsonElement> LookupAsync(HttpClient client, string user) =>
        await (await client.GetAsync($"/api/v1/subjects/user_id/{Uri.EscapeDataString(user)}")).JsonAsync(HttpStatusCode.OK);

    static string[] Names(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
