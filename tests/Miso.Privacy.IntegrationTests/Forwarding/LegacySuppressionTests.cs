using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.Erasure;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Forwarding;

/// <summary>
/// Suppressions written before lookup keys existed carry only their HMAC. The forwarder must keep dropping them,
/// and a lift must still let them through.
/// </summary>
public sealed class LegacySuppressionTests(ForwardingApp app) : IClassFixture<ForwardingApp>
{
    [Fact]
    public async Task A_suppression_without_a_lookup_key_is_still_dropped_until_it_is_lifted()
    {
        const string user = "legacy-user-1";
        var record = ForwardingApp.Record(user);
        var body = ForwardingApp.Upload(record);
        var hash = app.Services.GetRequiredService<SubjectHasher>().Hash(SubjectKind.UserId, user);
        await using (var db = app.NewDb())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var version = await SuppressionWriter.NextVersionAsync(db, default);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO privacy.suppressions (kind, hash, created_at, version) VALUES ('user_id', {hash}, now(), {version})
                """);
            await transaction.CommitAsync();
        }

        Assert.Equal(1, await app.UploadOkAsync(body));
        Assert.Empty(await app.StoredForUserAsync(user));

        var lift = await app.Management.DeleteJsonAsync($"/api/v1/suppressions/user_id/{user}", """{"reason": "came back with consent"}""");
        await lift.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, await app.UploadOkAsync(body));
        Assert.Equal([record], await app.StoredForUserAsync(user));
    }
}
