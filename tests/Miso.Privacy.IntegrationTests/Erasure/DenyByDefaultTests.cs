using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Miso.Privacy.ApiKeys;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Erasure;

/// <summary>
/// A route mapped without an authorization decision is closed to everyone, whatever key they hold. Shown on a test
/// host built from the service's own registrations (the ones Program.cs calls), with a throwaway route that decides
/// nothing next to routes that do.
/// </summary>
public sealed class DenyByDefaultTests : IAsyncLifetime
{
    WebApplication _host = null!;
    int _undecidedRuns;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Privacy"] = await TestDatabase.CreateAsync() };
        TestKey[] keys = [TestKeys.All, TestKeys.Reader];
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"Auth:ApiKeys:{i}:Name"] = keys[i].Name;
            settings[$"Auth:ApiKeys:{i}:KeySha256"] = TestKeys.Sha256(keys[i].Value);
            for (var s = 0; s < keys[i].Scopes.Length; s++)
                settings[$"Auth:ApiKeys:{i}:Scopes:{s}"] = keys[i].Scopes[s];
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddApiConventions().AddPrivacyDatabase(builder.Configuration).AddScopeAuthorization().AddApiKeys();

        _host = builder.Build();
        _host.UseExceptionHandler();
        _host.UseAuthentication();
        _host.UseAuthorization();
        _host.MapGet("/undecided", () => { Interlocked.Increment(ref _undecidedRuns); return "ran"; });
        _host.MapGet("/open", () => "ran").AllowAnonymous();
        _host.MapGet("/scoped", () => "ran").RequireAuthorization(Scopes.ErasureRead);
        await _host.StartAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    HttpClient Client(string? key)
    {
        var client = _host.GetTestClient();
        if (key is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    [Fact]
    public async Task ARouteWithoutADecision_IsRefused_WithoutAKey_WithAnUnknownKey_AndWithEveryScope()
    {
        await (await Client(null).GetAsync("/undecided")).ProblemAsync(HttpStatusCode.Unauthorized, "authorization");
        await (await Client("mpk_" + new string('u', 43)).GetAsync("/undecided")).ProblemAsync(HttpStatusCode.Unauthorized, "authorization");
        await (await Client(TestKeys.Reader.Value).GetAsync("/undecided")).ProblemAsync(HttpStatusCode.Forbidden, "authorization");
        await (await Client(TestKeys.All.Value).GetAsync("/undecided")).ProblemAsync(HttpStatusCode.Forbidden, "authorization");
        Assert.Equal(0, _undecidedRuns);
    }

    [Fact]
    public async Task RoutesWithADecision_KeepIt_AndAPathWithNoRouteIsStill404()
    {
        Assert.Equal("ran", await (await Client(null).GetAsync("/open")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client(null).GetAsync("/scoped")).StatusCode);
        Assert.Equal("ran", await (await Client(TestKeys.Reader.Value).GetAsync("/scoped")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Client(null).GetAsync("/no-such-route")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client(TestKeys.All.Value).GetAsync("/no-such-route")).StatusCode);
    }
}
