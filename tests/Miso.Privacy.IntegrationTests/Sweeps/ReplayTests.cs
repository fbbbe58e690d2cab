using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Sweeps;

/// <summary>The execution host whose only scheduled sweep is an hour away: whatever is deleted again, a replay deleted.</summary>
public sealed class ReplayApp : ExecutionApp
{
    public ReplayApp() => ExtraSettings["Execution:Sweeps"] = "01:00:00";
}

/// <summary>Restore replays: every request completed after a time is swept again now, through the same drain.</summary>
[Collection(ExecutionCollection.Name)]
public sealed class ReplayTests(ReplayApp app) : IClassFixture<ReplayApp>
{
    [Fact]
    public async Task RestoreReplay_DeletesAgainNow_WhatAMisoRestoreBroughtBack()
    {
        var client = app.ClientFor(TestKeys.All);
        var admin = app.ClientFor(TestKeys.Admin);
        var user = $"restored-{Guid.NewGuid():N}";
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var id = await Erasures.CreateAsync(client, [user]);
        await Erasures.WaitForAsync(client, [id], "completed");
        // Miso restores a backup from before the deletion.
        await app.SeedInteractionsAsync([user]);

        var response = await admin.PostJsonAsync("/api/v1/sweeps", $$"""{"completed_after": "{{before:O}}", "reason": "Miso restored a backup"}""");
        var accepted = await response.JsonAsync(HttpStatusCode.Accepted);
        var replayId = accepted.Str("id");
        Assert.Equal($"/api/v1/sweeps/{replayId}", response.Headers.Location?.OriginalString);
        Assert.True(accepted.GetProperty("requests").GetInt32() >= 1);
        Assert.DoesNotContain(id, accepted.GetProperty("out_of_reach").EnumerateArray().Select(e => e.GetString()));

        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement progress;
        while ((progress = await (await admin.GetAsync($"/api/v1/sweeps/{replayId}")).JsonAsync(HttpStatusCode.OK)).Str("state") != "done")
        {
            Assert.True(DateTime.UtcNow < deadline, progress.ToString());
            await Task.Delay(250);
        }
        Assert.Equal(0, progress.GetProperty("failed_items").GetInt32());
        Assert.Equal(progress.GetProperty("requests").GetInt32(), progress.GetProperty("swept").GetInt32());
        var detail = await (await client.GetAsync($"/api/v1/erasure-requests/{id}")).JsonAsync(HttpStatusCode.OK);
        var replayed = Assert.Single(detail.GetProperty("sweeps").EnumerateArray(), s => s.GetProperty("replay_id").ValueKind == JsonValueKind.String);
        Assert.Equal((0, replayId, "deleted"), (replayed.GetProperty("round").GetInt32(), replayed.Str("replay_id"), replayed.Str("state")));
        // The schedule's only sweep is an hour away: the replay did it.
        Assert.Equal("scheduled", Assert.Single(detail.GetProperty("sweeps").EnumerateArray(), s => s.GetProperty("round").GetInt32() == 1).Str("state"));
        foreach (var environment in app.Emulator.Environments)
        {
            Assert.Empty(await app.Inspector.GetInteractionsAsync(environment.Name, userId: user));
            Assert.DoesNotContain(await app.Inspector.GetUsersAsync(environment.Name), u => u.GetProperty("user_id").GetString() == user);
        }
        await using var db = app.NewDb();
        var audited = Assert.Single(await db.AuditEvents.AsNoTracking().Where(e => e.Action == "sweeps.replayed").ToListAsync(),
            e => JsonDocument.Parse(e.Details).RootElement.Str("replay_id") == replayId);
        Assert.Equal(TestKeys.Admin.Name, audited.Actor);
    }
}
