using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.ApiKeys;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Npgsql;

namespace Miso.Privacy.IntegrationTests.ApiKeys;

/// <summary>
/// When the database cannot say whether a created key is live, the call is refused with a 503 to retry, never let
/// through on an old answer; configured keys do not depend on the database and keep working.
/// </summary>
public sealed class KeyLookupOutageTests : IAsyncLifetime
{
    readonly PrivacyApp _app = new()
    {
        // Key lookups go to a port nothing listens on; everything else reaches the real database.
        TestServices = services => services.AddKeyedSingleton(ApiKeysApi.PoolKey,
            NpgsqlDataSource.Create($"Host=127.0.0.1;Port={FreePort.Next()};Username=nobody;Database=nothing;Timeout=2")),
    };

    public Task InitializeAsync() => _app.InitializeAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ACreatedKeyLooksLikeIt_Gets503_AndAConfiguredKeyStillWorks()
    {
        var response = await _app.With("mpk_" + new string('o', 43)).GetAsync("/api/v1/erasure-requests?limit=1");
        await response.ProblemAsync(HttpStatusCode.ServiceUnavailable, "database");
        Assert.True(response.Headers.RetryAfter is not null, "No Retry-After on the 503.");

        Assert.Equal(HttpStatusCode.OK, await Keys.ReadAsync(_app.ClientFor(TestKeys.Reader)));
        await (await _app.With("not-a-created-key").GetAsync("/api/v1/erasure-requests?limit=1"))
            .ProblemAsync(HttpStatusCode.Unauthorized, "authorization");
    }
}
