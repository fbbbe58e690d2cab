using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Sweeps;

/// <summary>A cancelled request is never carried out: it keeps nothing, not even sealed, and says when it stopped keeping it.</summary>
public sealed class CancelShredTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    [Fact]
    public async Task Cancel_ShredsAtOnce_AndSchedulesNoSweep()
    {
        var client = app.ClientFor(TestKeys.All);
        var created = await (await client.PostJsonAsync("/api/v1/erasure-requests",
            $$"""{"user_ids": ["cancelled-{{Guid.NewGuid():N}}"], "requested_by": "t"}""")).JsonAsync(HttpStatusCode.Created);
        var id = created.Str("id");
        await (await client.PostJsonAsync($"/api/v1/erasure-requests/{id}/cancel", """{"reason": "asked by mistake"}""")).JsonAsync(HttpStatusCode.OK);

        var detail = await (await client.GetAsync($"/api/v1/erasure-requests/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.String, detail.GetProperty("shredded_at").ValueKind);
        Assert.Empty(detail.GetProperty("sweeps").EnumerateArray());
        var shredded = Assert.Single(detail.GetProperty("timeline").EnumerateArray(), e => e.Str("action") == "request.shredded");
        Assert.Equal("request cancelled", shredded.GetProperty("details").Str("reason"));
        await using var db = app.NewDb();
        var requestId = Guid.Parse(id);
        Assert.All(await db.RequestSubjects.Where(s => s.RequestId == requestId).ToListAsync(), s => Assert.Null(s.Value ?? (object?)s.SealedValue));
        Assert.Null((await db.ErasureRequests.SingleAsync(r => r.Id == requestId)).DataKey);
        Assert.Equal(0, await db.RequestSweeps.CountAsync(s => s.RequestId == requestId));
    }
}
