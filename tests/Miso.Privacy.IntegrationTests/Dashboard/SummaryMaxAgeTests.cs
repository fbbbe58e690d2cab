using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Dashboard;

/// <summary>The service with a summary max age, on a clock the test moves.</summary>
public sealed class SummaryMaxAgeApp : PrivacyApp
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));

    public SummaryMaxAgeApp()
    {
        ExtraSettings["Dashboard:SummaryMaxAge"] = MaxAge.ToString("c");
        TestServices = services => services.AddSingleton<TimeProvider>(Clock);
    }
}

public sealed class SummaryMaxAgeTests(SummaryMaxAgeApp app) : IClassFixture<SummaryMaxAgeApp>
{
    [Fact]
    public async Task Summary_IsAnsweredAsIsWithinItsMaxAge_ComputedBehindThePollsUntilTwiceThat_AndAtOnceAfter()
    {
        var client = app.ClientFor(TestKeys.All);
        var first = await client.GetAsync("/api/v1/dashboard/summary");
        var before = Pending(await first.JsonAsync(HttpStatusCode.OK));

        await Create(client, "max-age-1");
        app.Clock.Advance(SummaryMaxAgeApp.MaxAge - TimeSpan.FromSeconds(1));
        var within = await client.GetAsync("/api/v1/dashboard/summary");
        var withinPending = Pending(await within.JsonAsync(HttpStatusCode.OK));

        // Past the max age, short of twice it: the poll that finds the change is answered the summary it has, and the
        // next one is computed behind it, for the polls after it (the clock stands still meanwhile).
        app.Clock.Advance(TimeSpan.FromSeconds(2));
        var behind = await client.GetAsync("/api/v1/dashboard/summary");
        var behindPending = Pending(await behind.JsonAsync(HttpStatusCode.OK));
        var refreshed = await PollUntilAsync(client, pending => pending != before);

        await Create(client, "max-age-2");
        app.Clock.Advance(SummaryMaxAgeApp.MaxAge * 2 + TimeSpan.FromSeconds(1));
        var late = Pending(await (await client.GetAsync("/api/v1/dashboard/summary")).JsonAsync(HttpStatusCode.OK));

        Assert.Equal(before, withinPending);
        Assert.Equal(first.Headers.ETag, within.Headers.ETag);
        Assert.Equal(before, behindPending);
        Assert.Equal(first.Headers.ETag, behind.Headers.ETag);
        Assert.Equal(before + 1, refreshed);
        // Twice the max age after its last check a summary is never answered: this poll computes and waits.
        Assert.Equal(before + 2, late);
    }

    static async Task Create(HttpClient client, string user)
    {
        var created = await client.PostJsonAsync("/api/v1/erasure-requests", $$"""{"user_ids": ["{{user}}"], "requested_by": "t"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    static async Task<long> PollUntilAsync(HttpClient client, Func<long, bool> done)
    {
        long pending = -1;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            pending = Pending(await (await client.GetAsync("/api/v1/dashboard/summary")).JsonAsync(HttpStatusCode.OK));
            if (done(pending))
                break;
            await Task.Delay(50);
        }
        return pending;
    }

    static long Pending(JsonElement summary) =>
        summary.GetProperty("by_status").TryGetProperty("pending", out var pending) ? pending.GetInt64() : 0;
}
