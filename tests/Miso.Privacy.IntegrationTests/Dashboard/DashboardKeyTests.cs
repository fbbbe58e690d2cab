using System.Net;
using System.Text.RegularExpressions;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.IntegrationTests.ApiKeys;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard needs nothing beyond erasure:read: every API call its script makes, read from the script itself,
/// answers 200 to a read-only key created through the key API. A call added later that needs more fails here.
/// </summary>
public sealed partial class DashboardKeyTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    [Fact]
    public async Task EveryCallTheDashboardMakes_SucceedsWithACreatedReadOnlyKey()
    {
        var script = await File.ReadAllTextAsync(Path.Combine(RepoRoot.Path, "src/Miso.Privacy/Dashboard/Assets/app.js"));
        var calls = ApiCall().Matches(script).Select(m => m.Groups["path"].Value).Distinct().ToList();
        Assert.True(calls.Count >= 6, $"Expected the dashboard's API calls in app.js, found: {string.Join(", ", calls)}");

        var requestId = await Erasures.CreateAsync(app.ClientFor(TestKeys.Writer), ["dashboard-subject"]);
        var created = await Keys.CreateAsync(app.ClientFor(TestKeys.All), "compliance-dashboard", [Scopes.ErasureRead]);
        var dashboard = app.With(created.Str("key"));
        foreach (var call in calls)
        {
            var path = Placeholder().Replace(call, m => m.Value.Contains("(id)") ? requestId : "dashboard-subject");
            var response = await dashboard.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} ({call}): {(int)response.StatusCode}");
        }
    }

    [GeneratedRegex("""['`](?<path>/api/v1/[^'`]+)['`]""")]
    private static partial Regex ApiCall();

    [GeneratedRegex(@"\$\{[^}]+\}")]
    private static partial Regex Placeholder();
}
