using System.Net;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Sweeps;

/// <summary>A replay body that is wrong in any way is refused naming the field, and writes nothing.</summary>
public sealed class ReplayValidationTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    [Theory]
    [InlineData("", "body")]
    [InlineData("[]", "body")]
    [InlineData("{", "body")]
    [InlineData("{}", "completed_after")]
    [InlineData("""{"reason": "restore"}""", "completed_after")]
    [InlineData("""{"completed_after": "2026-01-01T00:00:00Z"}""", "reason")]
    [InlineData("""{"completed_after": "2026-01-01T00:00:00Z", "reason": "  "}""", "reason")]
    [InlineData("""{"completed_after": "2999-01-01T00:00:00Z", "reason": "restore"}""", "completed_after")]
    [InlineData("""{"completed_after": "yesterday", "reason": "restore"}""", "completed_after")]
    [InlineData("""{"completed_after": 1700000000, "reason": "restore"}""", "completed_after")]
    [InlineData("""{"completed_after": "2026-01-01T00:00:00Z", "reason": ["restore"]}""", "reason")]
    [InlineData("""{"completed_after": "2026-01-01T00:00:00Z", "reason": "restore", "requests": ["x"]}""", "requests")]
    [InlineData("""{"completed_after": "2026-01-01T00:00:00Z", "reason": "a", "reason": "b"}""", "reason")]
    [InlineData("""{"completed_after": "2026-01-01T00:00:00Z", "reason": "nul \u0000"}""", "reason")]
    public async Task BadBody_Is400NamingTheField_AndWritesNothing(string body, string field)
    {
        var events = await app.CountAsync("audit_events");
        var response = await app.ClientFor(TestKeys.Admin).PostJsonAsync("/api/v1/sweeps", body);
        await response.ProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal(0, await app.CountAsync("sweep_replays"));
        Assert.Equal(events, await app.CountAsync("audit_events"));
    }

    [Fact]
    public async Task ATooLongReason_Is400()
    {
        var body = $$"""{"completed_after": "2026-01-01T00:00:00Z", "reason": "{{new string('r', 2001)}}"}""";
        await (await app.ClientFor(TestKeys.Admin).PostJsonAsync("/api/v1/sweeps", body)).ProblemAsync(HttpStatusCode.BadRequest, "reason");
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public async Task UnknownReplay_Is404(string id) =>
        await (await app.ClientFor(TestKeys.Admin).GetAsync($"/api/v1/sweeps/{id}")).ProblemAsync(HttpStatusCode.NotFound, "id");

    [Fact]
    public async Task AReplayWithNothingCompleted_IsDoneAtOnce()
    {
        var admin = app.ClientFor(TestKeys.Admin);
        var accepted = await (await admin.PostJsonAsync("/api/v1/sweeps",
            $$"""{"completed_after": "{{DateTimeOffset.UtcNow.AddSeconds(-1):O}}", "reason": "nothing since"}""")).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(("done", 0, 0), (accepted.Str("state"), accepted.GetProperty("requests").GetInt32(), accepted.GetProperty("out_of_reach_count").GetInt32()));
        var progress = await (await admin.GetAsync($"/api/v1/sweeps/{accepted.Str("id")}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("done", "nothing since", TestKeys.Admin.Name), (progress.Str("state"), progress.Str("reason"), progress.Str("requested_by")));
    }
}
