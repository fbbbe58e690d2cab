using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.Forwarding;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Erasure;

/// <summary>
/// Every route the running app maps has an explicit authorization decision, written down here; a route missing
/// from the table fails. Scoped routes are then tried with no key, an unknown key, keys without the scope, and the
/// right scope; Miso-key routes answer Miso's own 401 to a caller without a Miso key.
/// </summary>
public sealed class ScopeMatrixTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    abstract record Decision;

    /// <summary>A management route: the key must hold this scope. Path and body make one concrete call of it.</summary>
    sealed record Scoped(string Scope, string Path, string Body = "") : Decision;

    /// <summary>Open to anyone on purpose (probes, metrics, the API's description, the dashboard's static page).</summary>
    sealed record Anonymous : Decision;

    /// <summary>Reached with Miso's keys, which the handler checks; the management API's keys mean nothing there.</summary>
    sealed record MisoKey(string Path, string Body) : Decision;

    static readonly Guid Id = Guid.Empty;
    const string Reason = """{"reason": "x"}""";

    static readonly Dictionary<string, Decision> Expected = new()
    {
        ["POST /api/v1/erasure-requests/"] = new Scoped(Scopes.ErasureWrite, "/api/v1/erasure-requests", """{"user_ids": ["scope-x"], "requested_by": "t"}"""),
        ["GET /api/v1/erasure-requests/"] = new Scoped(Scopes.ErasureRead, "/api/v1/erasure-requests"),
        ["GET /api/v1/erasure-requests/{id}"] = new Scoped(Scopes.ErasureRead, $"/api/v1/erasure-requests/{Id}"),
        ["POST /api/v1/erasure-requests/{id}/cancel"] = new Scoped(Scopes.ErasureWrite, $"/api/v1/erasure-requests/{Id}/cancel", Reason),
        ["POST /api/v1/erasure-requests/{id}/extend"] = new Scoped(Scopes.ErasureWrite, $"/api/v1/erasure-requests/{Id}/extend",
            """{"reason": "x", "notified_at": "2026-01-01T00:00:00Z"}"""),
        ["POST /api/v1/erasure-requests/{id}/retry"] = new Scoped(Scopes.Admin, $"/api/v1/erasure-requests/{Id}/retry"),
        ["GET /api/v1/subjects/{kind}/{**value}"] = new Scoped(Scopes.ErasureRead, "/api/v1/subjects/user_id/scope-x"),
        ["DELETE /api/v1/suppressions/{kind}/{**value}"] = new Scoped(Scopes.SuppressionWrite, "/api/v1/suppressions/user_id/never-suppressed", Reason),
        ["GET /api/v1/audit/verify"] = new Scoped(Scopes.ReportsRead, "/api/v1/audit/verify"),
        ["GET /api/v1/audit/checkpoint"] = new Scoped(Scopes.ReportsRead, "/api/v1/audit/checkpoint"),
        // Public keys are public: auditors fetch them without an API key and verify offline.
        ["GET /api/v1/reports/signing-keys/"] = new Anonymous(),
        ["GET /api/v1/reports/signing-keys/{kid}.pem"] = new Anonymous(),
        ["GET /api/v1/audit/events"] = new Scoped(Scopes.ReportsRead, "/api/v1/audit/events?from=2000-01-01&to=2000-01-02"),
        ["GET /api/v1/reports/erasures"] = new Scoped(Scopes.ReportsRead, "/api/v1/reports/erasures?from=2000-01-01&to=2000-01-02"),
        ["GET /api/v1/reports/erasure-subjects"] = new Scoped(Scopes.ReportsRead, "/api/v1/reports/erasure-subjects?from=2000-01-01&to=2000-01-02"),
        ["GET /api/v1/reports/metrics"] = new Scoped(Scopes.ReportsRead, "/api/v1/reports/metrics?year=2000"),
        ["GET /api/v1/reports/manifests/{reportId}"] = new Scoped(Scopes.ReportsRead, $"/api/v1/reports/manifests/{Id}"),
        ["GET /api/v1/dashboard/summary"] = new Scoped(Scopes.ErasureRead, "/api/v1/dashboard/summary"),
        ["GET /api/v1/dashboard/daily"] = new Scoped(Scopes.ErasureRead, "/api/v1/dashboard/daily"),
        // A replay must be refused by validation here (a future time), so the matrix writes nothing.
        ["POST /api/v1/sweeps/"] = new Scoped(Scopes.Admin, "/api/v1/sweeps", """{"completed_after": "2999-01-01T00:00:00Z", "reason": "x"}"""),
        ["GET /api/v1/sweeps/{id}"] = new Scoped(Scopes.Admin, $"/api/v1/sweeps/{Id}"),
        ["* /hangfire/{**path}"] = new Scoped(Scopes.Admin, "/hangfire"),
        ["POST /api/v1/keys/"] = new Scoped(Scopes.Admin, "/api/v1/keys", """{"name": "scope-matrix", "scopes": ["admin"]}"""),
        ["GET /api/v1/keys/"] = new Scoped(Scopes.Admin, "/api/v1/keys"),
        ["DELETE /api/v1/keys/{id}"] = new Scoped(Scopes.Admin, $"/api/v1/keys/{Id}"),
        ["POST /api/v1/webhooks/"] = new Scoped(Scopes.Admin, "/api/v1/webhooks", """{"url": "ftp://x", "events": []}"""),
        ["GET /api/v1/webhooks/"] = new Scoped(Scopes.Admin, "/api/v1/webhooks"),
        ["DELETE /api/v1/webhooks/{id}"] = new Scoped(Scopes.Admin, $"/api/v1/webhooks/{Id}"),
        ["GET /api/v1/webhooks/{id}/deliveries"] = new Scoped(Scopes.Admin, $"/api/v1/webhooks/{Id}/deliveries"),
        ["POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver"] = new Scoped(Scopes.Admin, $"/api/v1/webhooks/{Id}/deliveries/1/redeliver"),
        // A key makes its own callback secret, for the callback_urls of the requests it files.
        ["POST /api/v1/webhooks/callback-secret"] = new Scoped(Scopes.ErasureWrite, "/api/v1/webhooks/callback-secret"),
        // What a controller needs to verify our signatures, before it holds a key: public by nature (OpenDSR §6.3).
        ["GET /opendsr/v1/discovery"] = new Anonymous(),
        ["GET /opendsr/v1/certificate"] = new Anonymous(),
        ["POST /opendsr/v1/requests"] = new Scoped(Scopes.ErasureWrite, "/opendsr/v1/requests", "{}"),
        ["GET /opendsr/v1/requests/{subjectRequestId}"] = new Scoped(Scopes.ErasureRead, $"/opendsr/v1/requests/{Id}"),
        ["DELETE /opendsr/v1/requests/{subjectRequestId}"] = new Scoped(Scopes.ErasureWrite, $"/opendsr/v1/requests/{Id}"),
        ["POST /v1/interactions/"] = new MisoKey("/v1/interactions", """{"data": []}"""),
        ["DELETE /v1/interactions/"] = new MisoKey("/v1/interactions", """{"user_ids": ["x"]}"""),
        ["POST /v1/users/"] = new MisoKey("/v1/users", """{"data": []}"""),
        ["POST /v1/users/_delete"] = new MisoKey("/v1/users/_delete", """{"data": {"user_ids": ["x"]}}"""),
        ["GET /v1/users/{user_id}"] = new MisoKey("/v1/users/x", ""),
        ["DELETE /v1/users/{user_id}"] = new MisoKey("/v1/users/x", ""),
        // Every other Miso route, passed through to the key's environment: only a configured Miso key gets there.
        ["* /v1/{**path}"] = new MisoKey("/v1/search/search", """{"q": "x"}"""),
        ["* /health/live"] = new Anonymous(),
        ["* /health/ready"] = new Anonymous(),
        ["* /metrics"] = new Anonymous(),
        ["GET /openapi/{documentName}.json"] = new Anonymous(),
        ["GET /docs/{documentName?}"] = new Anonymous(),
        ["GET /docs/scalar.aspnetcore.js"] = new Anonymous(),
        ["GET /docs/favicon.svg"] = new Anonymous(),
        ["GET /docs/scalar.js"] = new Anonymous(),
        ["GET /dashboard"] = new Anonymous(),
        ["GET /dashboard/app.js"] = new Anonymous(),
        ["GET /dashboard/views.js"] = new Anonymous(),
        ["GET /dashboard/charts.js"] = new Anonymous(),
        ["GET /dashboard/style.css"] = new Anonymous(),
    };

    static readonly Dictionary<string, TestKey> KeyFor = new()
    {
        [Scopes.ErasureWrite] = TestKeys.Writer,
        [Scopes.ErasureRead] = TestKeys.Reader,
        [Scopes.ReportsRead] = TestKeys.Reports,
        [Scopes.SuppressionWrite] = TestKeys.Suppression,
        [Scopes.Admin] = TestKeys.Admin,
    };

    static IEnumerable<(string Method, T Decision)> Routes<T>() where T : Decision =>
        Expected.Where(r => r.Value is T).Select(r => (r.Key.Split(' ')[0] is "*" ? "GET" : r.Key.Split(' ')[0], (T)r.Value));

    public static IEnumerable<object[]> ScopedRoutes() =>
        Routes<Scoped>().Select(r => new object[] { r.Method, r.Decision.Path, r.Decision.Body, r.Decision.Scope });

    public static IEnumerable<object[]> MisoKeyRoutes() =>
        Routes<MisoKey>().Select(r => new object[] { r.Method, r.Decision.Path, r.Decision.Body });

    [Fact]
    public void EveryMappedRoute_HasTheAuthorizationDecisionTheTableSays()
    {
        _ = app.CreateClient();
        var mapped = new Dictionary<string, Endpoint>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"];
            foreach (var method in methods.Where(m => m != "OPTIONS"))
                mapped[$"{method} {endpoint.RoutePattern.RawText}"] = endpoint;
        }

        var undecided = mapped.Keys.Except(Expected.Keys).ToList();
        Assert.True(undecided.Count == 0, $"Routes without a decision in {nameof(ScopeMatrixTests)}.{nameof(Expected)}: {string.Join(", ", undecided)}");
        var stale = Expected.Keys.Except(mapped.Keys).ToList();
        Assert.True(stale.Count == 0, $"In the table but no longer mapped: {string.Join(", ", stale)}");
        foreach (var (route, endpoint) in mapped)
        {
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToArray();
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            // Miso-key routes skip the management API's authentication and authorization (MisoRoutes); no other route may.
            var skipsAuthentication = endpoint.Metadata.GetMetadata<MisoRoutes.Marker>() is not null;
            Assert.True(skipsAuthentication == Expected[route] is MisoKey,
                $"{route}: {(skipsAuthentication ? "skips the management API's authentication" : "is not run as a Miso-compatible route")}");
            if (Expected[route] is Scoped scoped)
                Assert.True(!anonymous && policies.SequenceEqual([scoped.Scope]), $"{route}: expected scope {scoped.Scope}, has [{string.Join(", ", policies)}]{(anonymous ? " and allows anonymous" : "")}");
            else
                Assert.True(anonymous && policies.Length == 0, $"{route}: expected an explicit AllowAnonymous and no policy");
        }
    }

    [Fact]
    public async Task TheApp_RefusesWhatNoRouteDecides_ButAnswers404ForAPathNoRouteMatches()
    {
        var fallback = await app.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();
        Assert.NotNull(fallback);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientFor(null).GetAsync("/api/v1/no-such-route")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientFor(TestKeys.All).GetAsync("/api/v1/no-such-route")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(ScopedRoutes))]
    public async Task Route_Returns401_WithoutAKey(string method, string path, string body, string scope)
    {
        _ = scope;
        var response = await SendAsync(app.ClientFor(null), method, path, body);
        await response.ProblemAsync(HttpStatusCode.Unauthorized, "authorization");
    }

    [Theory]
    [MemberData(nameof(ScopedRoutes))]
    public async Task Route_Returns401_ForAnUnknownKey(string method, string path, string body, string scope)
    {
        _ = scope;
        var client = app.ClientFor(null);
        client.DefaultRequestHeaders.Add("X-Api-Key", "not-a-configured-key");
        await (await SendAsync(client, method, path, body)).ProblemAsync(HttpStatusCode.Unauthorized, "authorization");
    }

    [Theory]
    [MemberData(nameof(ScopedRoutes))]
    public async Task Route_Returns403_ForKeysWithoutTheScope(string method, string path, string body, string scope)
    {
        foreach (var (other, key) in KeyFor.Where(k => k.Key != scope).Append(new("none", TestKeys.None)))
        {
            var response = await SendAsync(app.ClientFor(key), method, path, body);
            Assert.True(HttpStatusCode.Forbidden == response.StatusCode, $"{other} key on {method} {path}: {(int)response.StatusCode}");
        }
    }

    [Theory]
    [MemberData(nameof(ScopedRoutes))]
    public async Task Route_AdmitsTheKeyWithTheScope_ByBearerOrXApiKey(string method, string path, string body, string scope)
    {
        var bearer = await SendAsync(app.ClientFor(KeyFor[scope]), method, path, body);
        Assert.NotEqual(HttpStatusCode.Unauthorized, bearer.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, bearer.StatusCode);

        var header = app.ClientFor(null);
        header.DefaultRequestHeaders.Add("X-Api-Key", KeyFor[scope].Value);
        var viaHeader = await SendAsync(header, method, path, body);
        Assert.NotEqual(HttpStatusCode.Unauthorized, viaHeader.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, viaHeader.StatusCode);
    }

    [Theory]
    [MemberData(nameof(MisoKeyRoutes))]
    public async Task MisoKeyRoute_Returns401InMisosShape_ForAManagementKey(string method, string path, string body)
    {
        var response = await SendAsync(app.ClientFor(TestKeys.All), method, path, body);
        Assert.Equal("invalid api key.", (await response.JsonAsync(HttpStatusCode.Unauthorized)).Str("message"));
    }

    static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string body) => method switch
    {
        "GET" => client.GetAsync(path),
        "POST" => client.PostJsonAsync(path, body),
        "DELETE" => client.DeleteJsonAsync(path, body),
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };
}
