using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Erasure;

/// <summary>
/// Creates that arrive together are written together (one transaction, their subjects in one insert): each still gets
/// exactly its own subjects, in the order it sent them, every one of them suppressed when its 201 arrives.
/// </summary>
public sealed class GroupCommitTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    const string Requests = "/api/v1/erasure-requests";

    [Fact]
    public async Task ConcurrentManyIdCreates_EachGetItsOwnSubjectsInOrder_SuppressedOnReturn_OnOneIntactChain()
    {
        var client = app.ClientFor(TestKeys.All);
        var run = Guid.NewGuid().ToString("N")[..8];
        // Some ids are shared between requests: each request keeps its own row for them.
        string[] Users(int n) => [.. Enumerable.Range(0, 40).Select(i => i % 10 == 0 ? $"gc-{run}-shared-{i}" : $"gc-{run}-{n}-u{i:D2}").Reverse()];
        string[] Anonymous(int n) => [.. Enumerable.Range(0, 5).Select(i => $"gc-{run}-{n}-a{i}")];
        var types = Enumerable.Range(0, 16).Select(n => n % 4 == 3 ? "suppress" : "erase").ToArray();

        var created = await Task.WhenAll(Enumerable.Range(0, 16).Select(async n =>
        {
            var body = JsonSerializer.Serialize(new
            {
                user_ids = Users(n), anonymous_ids = Anonymous(n), requested_by = "t", type = types[n],
            });
            var json = await (await client.PostJsonAsync(Requests, body)).JsonAsync(HttpStatusCode.Created);
            // In force when the 201 is sent: asked right after it, before anything else can catch up.
            foreach (var user in Users(n).Take(3))
                Assert.True((await (await client.GetAsync($"/api/v1/subjects/user_id/{user}")).JsonAsync(HttpStatusCode.OK))
                    .GetProperty("suppressed").GetBoolean(), user);
            return (n, json);
        }));

        foreach (var (n, json) in created)
        {
            var id = json.Str("id");
            var suppress = types[n] == "suppress";
            var kinds = Enumerable.Repeat("user_id", 40).Concat(Enumerable.Repeat("anonymous_id", 5)).ToArray();
            var values = suppress ? new string?[45] : [.. Users(n).Concat(Anonymous(n))];
            var statuses = Enumerable.Repeat(suppress ? "suppressed_only" : "pending", 40).Concat(Enumerable.Repeat("suppressed_only", 5)).ToArray();
            foreach (var answer in new[] { json, await (await client.GetAsync($"{Requests}/{id}")).JsonAsync(HttpStatusCode.OK) })
            {
                var subjects = answer.GetProperty("subjects").EnumerateArray().ToList();
                Assert.Equal(kinds, subjects.Select(s => s.Str("kind")));
                Assert.Equal(values, subjects.Select(s => s.GetProperty("value").ValueKind == JsonValueKind.Null ? null : s.Str("value")));
                Assert.Equal(statuses, subjects.Select(s => s.Str("status")));
                Assert.Equal(suppress ? "completed" : "pending", answer.Str("status"));
            }

            await using var db = app.NewDb();
            var rows = await db.RequestSubjects.Where(s => s.RequestId == Guid.Parse(id)).OrderBy(s => s.Id).ToListAsync();
            // The rows' ids follow the order the ids were sent in, which is the order every answer lists them in.
            Assert.Equal(json.GetProperty("subjects").EnumerateArray().Select(s => s.Str("hash")), rows.Select(r => Convert.ToHexStringLower(r.Hash)));
            Assert.Equal(values, rows.Select(r => r.Value));
            // Every subject suppressed in each environment of the request, by this request or another sharing the id.
            var environments = json.GetProperty("environments").GetArrayLength();
            var hashes = rows.Select(r => r.Hash).ToList();
            Assert.Equal(45 * environments, await db.Suppressions.CountAsync(s => s.LiftedAt == null && hashes.Contains(s.Hash)));
        }

        var verify = await (await app.ClientFor(TestKeys.Reports).GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
    }
}
