using System.Net;
using Miso.Emulator.Faults;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Execution;

public sealed class FaultApp : ExecutionApp
{
    public const int MaxCallsPerSecond = 8;

    public FaultApp()
    {
        ExtraSettings["Execution:MaxCallsPerSecond"] = MaxCallsPerSecond.ToString();
        ExtraSettings["Execution:BatchSize"] = "50";
        ExtraSettings["Execution:BatchWindow"] = "00:00:00.200";
        // Open circuits and 429s end attempts quickly; give the job room to outlast them.
        ExtraSettings["Execution:MaxAttempts"] = "40";
    }
}

[Collection(ExecutionCollection.Name)]
public sealed class FaultTests(FaultApp app) : IClassFixture<FaultApp>
{
    [Fact]
    public async Task Drain_CompletesThroughErrorsAndRateLimits_HonouringRetryAfter_AndNeverExceedingTheRate()
    {
        var client = app.ClientFor(TestKeys.All);
        var users = Enumerable.Range(0, 600).Select(i => $"faulty-{i}").ToList();
        await app.SeedInteractionsAsync(users);
        await app.Inspector.SetFaultsAsync(new FaultSettings { ErrorRate = 0.3, ErrorStatuses = [503], RateLimitPerSecond = 6 });
        try
        {
            var ids = new List<string>();
            foreach (var chunk in users.Chunk(60))
                ids.Add(await Erasures.CreateAsync(client, chunk));
            await Erasures.WaitForAsync(client, ids, "completed", TimeSpan.FromMinutes(4));
        }
        finally
        {
            await app.Inspector.ClearFaultsAsync();
        }

        foreach (var environment in app.Emulator.Environments)
        {
            Assert.Empty(await app.Inspector.GetInteractionsAsync(environment.Name, "faulty-0"));
            var calls = (await app.Inspector.GetCallsAsync(environment.Name, 100_000)).Where(CallLog.IsDelete).OrderBy(c => c.Time).ToList();
            Assert.Contains(calls, c => c.Status == 503);
            var limited = calls.Where(c => c.Status == 429).ToList();
            Assert.NotEmpty(limited);
            Assert.InRange(CallLog.MaxInAnySecond(calls), 1, FaultApp.MaxCallsPerSecond);
            // Retry-After: 1 — the same batch (same ids, same path) is not sent again within the second.
            foreach (var refused in limited)
            {
                var retry = calls.FirstOrDefault(c => c.Time > refused.Time && c.Path == refused.Path && c.UserIds.SequenceEqual(refused.UserIds));
                if (retry is not null)
                    Assert.True(retry.Time - refused.Time >= TimeSpan.FromMilliseconds(950), $"retried after {(retry.Time - refused.Time).TotalMilliseconds} ms");
            }
        }
    }

    [Fact]
    public async Task A400FromMiso_FailsTheRequestWithoutRetry_AndAnOperatorRetryCompletesIt()
    {
        var client = app.ClientFor(TestKeys.All);
        await app.Inspector.SetFaultsAsync(new FaultSettings { ErrorRate = 1, ErrorStatuses = [400] });
        string id;
        try
        {
            id = await Erasures.CreateAsync(client, ["refused-by-miso"]);
            var failed = (await Erasures.WaitForAsync(client, [id], "failed"))[id];
            Assert.Equal("failed", Assert.Single(failed.GetProperty("subjects").EnumerateArray()).Str("status"));
            Assert.Contains(failed.GetProperty("timeline").EnumerateArray(), e => e.Str("action") == "request.failed");
        }
        finally
        {
            await app.Inspector.ClearFaultsAsync();
        }
        var calls = (await app.Inspector.GetCallsAsync(null, 100_000)).Where(c => c.UserIds.Contains("refused-by-miso")).ToList();
        Assert.Equal(4, calls.Count); // two environments × two operations, each tried once
        Assert.All(calls, c => Assert.Equal(400, c.Status));

        await (await app.ClientFor(TestKeys.Writer).PostAsync($"/api/v1/erasure-requests/{id}/retry", null)).ProblemAsync(HttpStatusCode.Forbidden, "authorization");
        var retried = await (await client.PostAsync($"/api/v1/erasure-requests/{id}/retry", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("pending", retried.Str("status"));
        var done = (await Erasures.WaitForAsync(client, [id], "completed"))[id];
        Assert.Contains(done.GetProperty("timeline").EnumerateArray(), e => e.Str("action") == "request.retried");
        await (await client.PostAsync($"/api/v1/erasure-requests/{id}/retry", null)).ProblemAsync(HttpStatusCode.Conflict, "status");
    }
}
