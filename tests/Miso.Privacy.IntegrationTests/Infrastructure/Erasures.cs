using System.Net;
using System.Text.Json;

namespace Miso.Privacy.IntegrationTests.Infrastructure;

public static class Erasures
{
    public static async Task<string> CreateAsync(HttpClient client, IEnumerable<string> userIds, string? anonymousIds = null)
    {
        var users = string.Join(",", userIds.Select(u => JsonSerializer.Serialize(u)));
        var body = $$"""{"user_ids": [{{users}}], "anonymous_ids": [{{anonymousIds}}], "requested_by": "test"}""";
        return (await (await client.PostJsonAsync("/api/v1/erasure-requests", body)).JsonAsync(HttpStatusCode.Created)).Str("id");
    }

    /// <summary>Polls until every request has the status, or fails with where they are after the timeout.</summary>
    public static async Task<Dictionary<string, JsonElement>> WaitForAsync(HttpClient client, IReadOnlyCollection<string> ids, string status,
        TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(180));
        var latest = new Dictionary<string, JsonElement>();
        while (true)
        {
            foreach (var id in ids.Where(i => !latest.TryGetValue(i, out var r) || r.Str("status") != status))
                latest[id] = await (await client.GetAsync($"/api/v1/erasure-requests/{id}")).JsonAsync(HttpStatusCode.OK);
            if (latest.Values.All(r => r.Str("status") == status))
                return latest;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Not all {status} after the timeout: " + string.Join(", ", latest.Values.Select(r => r.Str("status")).GroupBy(s => s).Select(g => $"{g.Key}={g.Count()}")));
            await Task.Delay(250);
        }
    }
}
