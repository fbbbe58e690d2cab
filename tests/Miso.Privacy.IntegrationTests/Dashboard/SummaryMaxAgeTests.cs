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
    public async Task Summary_IsAnsweredAsIsWithinItsMaxAge_AndShowsTheChangeOnceItHasPassed()
    {
        var client = app.ClientFor(TestKeys.All);
        var first = await client.GetAsync("/api/v1/dashboard/summary");
        var before = Pending(await first.JsonAsync(HttpStatusCode.OK));

        var created = await client.PostJsonAsync("/api/v1/erasure-requests", """{"user_ids": ["max-age-1"], "requested_by": "t"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        app.Clock.Advance(SummaryMaxAgeApp.MaxAge - TimeSpan.FromSeconds(1));
        var within = await client.GetAsync("/api/v1/dashboard/summary");
        var withinPending = Pending(await within.JsonAsync(HttpStatusCode.OK));

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var after = await client.GetAsync("/api/v1/dashboard/summary");
        var afterPending = Pending(await after.JsonAsync(HttpStatusCode.OK));

        // Within the max age the summary computed before the create is answered as is: same figures, same ETag.
        Assert.Equal(before, withinPending);
        Assert.Equal(first.Headers.ETag, within.Headers.ETag);
        // Once it has passed, the change shows.
        Assert.Equal(before + 1, afterPending);
        Assert.NotEqual(first.Headers.ETag, after.Headers.ETag);
    }

    static long Pending(JsonElement summary) =>
        summary.GetProperty("by_status").TryGetProperty("pending", out var pending) ? pending.GetInt64() : 0;
}
