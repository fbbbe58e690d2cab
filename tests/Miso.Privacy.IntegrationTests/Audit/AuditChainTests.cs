using System.Net;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Npgsql;

namespace Miso.Privacy.IntegrationTests.Audit;

public sealed class AuditChainTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    [Fact]
    public async Task Verify_ReportsIntact_After200ConcurrentCreates_ThenTheExactBrokenSeqAfterASqlEdit()
    {
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var response = await app.ClientFor(TestKeys.All).PostJsonAsync("/api/v1/erasure-requests",
                    $$"""{"user_ids": ["chain-{{i}}"], "requested_by": "t"}""");
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }
            finally { gate.Release(); }
        }));

        var reports = app.ClientFor(TestKeys.Reports);
        var intact = await (await reports.GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK);
        Assert.True(intact.GetProperty("intact").GetBoolean(), intact.ToString());
        Assert.Equal(200, intact.GetProperty("events").GetInt64());
        Assert.Equal(200, intact.GetProperty("head").GetProperty("seq").GetInt64());

        await using (var db = app.NewDb())
        {
            await db.Database.ExecuteSqlRawAsync("""
                ALTER TABLE privacy.audit_events DISABLE TRIGGER USER;
                UPDATE privacy.audit_events SET actor = 'mallory' WHERE seq = 137;
                ALTER TABLE privacy.audit_events ENABLE TRIGGER USER;
                """);
        }
        var broken = await (await reports.GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK);
        Assert.False(broken.GetProperty("intact").GetBoolean());
        Assert.Equal(137, broken.GetProperty("first_broken_seq").GetInt64());
        Assert.Equal(136, broken.GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task AuditEvents_RefuseUpdateAndDelete()
    {
        await app.ClientFor(TestKeys.All).PostJsonAsync("/api/v1/erasure-requests", """{"user_ids": ["append-only"], "requested_by": "t"}""");
        await using var db = app.NewDb();
        var update = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("UPDATE privacy.audit_events SET actor = 'x'"));
        Assert.Contains("append-only", update.MessageText);
        await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM privacy.audit_events"));
        await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("TRUNCATE privacy.audit_events"));
    }
}
