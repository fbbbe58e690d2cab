using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.ApiKeys;

/// <summary>Keys created, used, listed, revoked and expired through the API, on one instance.</summary>
public sealed class ApiKeyLifecycleTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    HttpClient Admin => app.ClientFor(TestKeys.All);

    [Fact]
    public async Task Create_ShowsTheKeyOnce_StoresOnlyItsHash_AndTheKeyHoldsExactlyItsScopes()
    {
        var before = DateTimeOffset.UtcNow;
        var created = await Keys.CreateAsync(Admin, "dashboard-wall", [Scopes.ErasureRead]);

        Assert.Equal(["id", "name", "scopes", "prefix", "created_at", "expires_at", "key"], created.EnumerateObject().Select(p => p.Name));
        var key = created.Str("key");
        Assert.Matches("^mpk_[A-Za-z0-9_-]{43}$", key);
        Assert.Equal(key[..12], created.Str("prefix"));
        Assert.Equal("dashboard-wall", created.Str("name"));
        Assert.Equal([Scopes.ErasureRead], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.Null, created.GetProperty("expires_at").ValueKind);
        Assert.InRange(created.GetProperty("created_at").GetDateTimeOffset(), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));

        var holder = app.With(key);
        Assert.Equal(HttpStatusCode.OK, await Keys.ReadAsync(holder));
        var viaHeader = app.CreateClient();
        viaHeader.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, await Keys.ReadAsync(viaHeader));
        await (await holder.PostJsonAsync("/api/v1/erasure-requests", """{"user_ids": ["k-1"], "requested_by": "t"}"""))
            .ProblemAsync(HttpStatusCode.Forbidden, "authorization");
        await (await holder.GetAsync(Keys.Path)).ProblemAsync(HttpStatusCode.Forbidden, "authorization");

        await using var db = app.NewDb();
        var row = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Name == "dashboard-wall");
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key)), row.KeySha256);
        Assert.Equal(TestKeys.All.Name, row.CreatedBy);
        var everyColumn = await db.Database.SqlQueryRaw<string>(
            "SELECT row_to_json(k)::text AS \"Value\" FROM privacy.api_keys k WHERE name = 'dashboard-wall'").SingleAsync();
        Assert.DoesNotContain(key[12..], everyColumn);

        var listed = await (await Admin.GetAsync(Keys.Path)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(key[12..], listed);
        Assert.DoesNotContain(Convert.ToHexStringLower(row.KeySha256), listed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(row.KeySha256), listed);
    }

    [Fact]
    public async Task List_ShowsConfiguredKeysWithoutSecrets_AndCreatedKeysWithTheirState()
    {
        var created = await Keys.CreateAsync(Admin, "list-me", [Scopes.ReportsRead, Scopes.ErasureRead], DateTimeOffset.UtcNow.AddDays(30));
        var text = await (await Admin.GetAsync(Keys.Path)).Content.ReadAsStringAsync();
        var items = JsonDocument.Parse(text).RootElement.GetProperty("data").EnumerateArray().ToArray();

        foreach (var configured in TestKeys.Configured)
        {
            var item = Assert.Single(items, k => k.Str("name") == configured.Name);
            Assert.Equal($"config:{configured.Name}", item.Str("id"));
            Assert.Equal("configuration", item.Str("source"));
            Assert.Equal(configured.Scopes, item.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
            Assert.Equal(JsonValueKind.Null, item.GetProperty("prefix").ValueKind);
            Assert.DoesNotContain(TestKeys.Sha256(configured.Value), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(configured.Value, text);
        }

        var mine = Assert.Single(items, k => k.Str("id") == created.Str("id"));
        Assert.Equal(["id", "name", "scopes", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at", "source"],
            mine.EnumerateObject().Select(p => p.Name));
        Assert.Equal("api", mine.Str("source"));
        Assert.Equal([Scopes.ErasureRead, Scopes.ReportsRead], mine.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(created.Str("prefix"), mine.Str("prefix"));
        Assert.Equal(created.GetProperty("created_at").GetDateTimeOffset(), mine.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(created.GetProperty("expires_at").GetDateTimeOffset(), mine.GetProperty("expires_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("revoked_at").ValueKind);
        Assert.DoesNotContain(created.Str("key")[12..], text);

        await (await Admin.GetAsync(Keys.Path + "?limit=5")).ProblemAsync(HttpStatusCode.BadRequest, "limit");
    }

    [Fact]
    public async Task Revoke_Returns204_RefusesTheKeyAtOnce_IsAudited_AndAgainIs204WithoutASecondEvent()
    {
        var created = await Keys.CreateAsync(Admin, "leaked", [Scopes.ErasureRead, Scopes.ReportsRead]);
        var holder = app.With(created.Str("key"));
        Assert.Equal(HttpStatusCode.OK, await Keys.ReadAsync(holder));

        var revoke = await Admin.DeleteAsync($"{Keys.Path}/{created.Str("id")}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Empty(await revoke.Content.ReadAsByteArrayAsync());
        await (await holder.GetAsync("/api/v1/erasure-requests?limit=1")).ProblemAsync(HttpStatusCode.Unauthorized, "authorization");
        await (await holder.GetAsync("/api/v1/audit/verify")).ProblemAsync(HttpStatusCode.Unauthorized, "authorization");
        var item = await Keys.ItemAsync(Admin, created.Str("id"));
        Assert.InRange(item.GetProperty("revoked_at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"{Keys.Path}/{created.Str("id")}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await Keys.ReadAsync(holder));

        var events = await KeyEventsAsync(created.Str("id"));
        Assert.Equal(["api_key.created", "api_key.revoked"], events.Select(e => e.Action));
        var revoked = JsonDocument.Parse(events[1].Details).RootElement;
        Assert.Equal(TestKeys.All.Name, events[1].Actor);
        Assert.Equal("leaked", revoked.Str("name"));
        Assert.Equal(created.Str("prefix"), revoked.Str("prefix"));
        Assert.Equal([Scopes.ErasureRead, Scopes.ReportsRead], revoked.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var verify = await (await app.ClientFor(TestKeys.Reports).GetAsync("/api/v1/audit/verify")).JsonAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
    }

    [Fact]
    public async Task Create_IsAnAuditEvent_NamingTheKeyButNeverItsSecret()
    {
        var expires = DateTimeOffset.UtcNow.AddDays(7);
        var created = await Keys.CreateAsync(Admin, "audited", [Scopes.SuppressionWrite], expires);
        var audited = Assert.Single(await KeyEventsAsync(created.Str("id")));
        Assert.Equal("api_key.created", audited.Action);
        Assert.Equal(TestKeys.All.Name, audited.Actor);
        var details = JsonDocument.Parse(audited.Details).RootElement;
        Assert.Equal("audited", details.Str("name"));
        Assert.Equal(created.Str("prefix"), details.Str("prefix"));
        Assert.Equal([Scopes.SuppressionWrite], details.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(created.GetProperty("expires_at").GetDateTimeOffset(), details.GetProperty("expires_at").GetDateTimeOffset());

        var key = created.Str("key");
        await using var db = app.NewDb();
        var everyEvent = await db.Database.SqlQueryRaw<string>("SELECT row_to_json(e)::text AS \"Value\" FROM privacy.audit_events e").ToListAsync();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        Assert.DoesNotContain(everyEvent, e => e.Contains(key[12..]) || e.Contains(Convert.ToHexStringLower(hash)) || e.Contains(Convert.ToBase64String(hash)));
    }

    [Fact]
    public async Task Revoke_UnknownIdIs404_AndAConfiguredKeyIs409_NeverRevoked()
    {
        await (await Admin.DeleteAsync($"{Keys.Path}/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound, "id");
        await (await Admin.DeleteAsync($"{Keys.Path}/not-a-key")).ProblemAsync(HttpStatusCode.NotFound, "id");
        await (await Admin.DeleteAsync($"{Keys.Path}/config:nobody")).ProblemAsync(HttpStatusCode.NotFound, "id");

        var refused = await (await Admin.DeleteAsync($"{Keys.Path}/config:{TestKeys.All.Name}")).ProblemAsync(HttpStatusCode.Conflict, "id");
        Assert.Contains("Auth:ApiKeys", refused.GetProperty("errors").GetProperty("id")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync(Keys.Path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await Keys.ReadAsync(app.ClientFor(TestKeys.Reader)));
    }

    [Fact]
    public async Task AKeyPastItsExpiry_GetsA401()
    {
        var created = await Keys.CreateAsync(Admin, "short-lived", [Scopes.ErasureRead], DateTimeOffset.UtcNow.AddSeconds(3));
        var holder = app.With(created.Str("key"));
        Assert.Equal(HttpStatusCode.OK, await Keys.ReadAsync(holder));

        var expires = created.GetProperty("expires_at").GetDateTimeOffset();
        var status = HttpStatusCode.OK;
        while (status == HttpStatusCode.OK && DateTimeOffset.UtcNow < expires.AddSeconds(10))
        {
            await Task.Delay(200);
            status = await Keys.ReadAsync(holder);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(DateTimeOffset.UtcNow >= expires, "Refused before its expiry.");
        await (await holder.GetAsync("/api/v1/erasure-requests?limit=1")).ProblemAsync(HttpStatusCode.Unauthorized, "authorization");
        Assert.Equal(JsonValueKind.Null, (await Keys.ItemAsync(Admin, created.Str("id"))).GetProperty("revoked_at").ValueKind);
    }

    [Fact]
    public async Task LastUsedAt_IsWrittenOnUse_ButNotAgainWithinAMinute()
    {
        var created = await Keys.CreateAsync(Admin, "used", [Scopes.ErasureRead]);
        var id = created.Str("id");
        Assert.Equal(JsonValueKind.Null, (await Keys.ItemAsync(Admin, id)).GetProperty("last_used_at").ValueKind);

        var holder = app.With(created.Str("key"));
        Assert.Equal(HttpStatusCode.OK, await Keys.ReadAsync(holder));
        JsonElement used;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((used = (await Keys.ItemAsync(Admin, id)).GetProperty("last_used_at")).ValueKind == JsonValueKind.Null && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        var first = used.GetDateTimeOffset();
        Assert.InRange(first, created.GetProperty("created_at").GetDateTimeOffset(), DateTimeOffset.UtcNow);

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, await Keys.ReadAsync(holder));
        await Task.Delay(500);
        Assert.Equal(first, (await Keys.ItemAsync(Admin, id)).GetProperty("last_used_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Names_AreNeverReused_NotAfterRevocation_NorAConfiguredOne()
    {
        var first = await Keys.CreateAsync(Admin, "once", [Scopes.ErasureRead]);
        await (await Admin.PostJsonAsync(Keys.Path, """{"name": "once", "scopes": ["erasure:read"]}""")).ProblemAsync(HttpStatusCode.Conflict, "name");
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"{Keys.Path}/{first.Str("id")}")).StatusCode);
        await (await Admin.PostJsonAsync(Keys.Path, """{"name": "once", "scopes": ["erasure:read"]}""")).ProblemAsync(HttpStatusCode.Conflict, "name");
        foreach (var name in new[] { TestKeys.Reader.Name, TestKeys.Reader.Name.ToUpperInvariant() })
            await (await Admin.PostJsonAsync(Keys.Path, $$"""{"name": "{{name}}", "scopes": ["erasure:read"]}"""))
                .ProblemAsync(name == TestKeys.Reader.Name ? HttpStatusCode.Conflict : HttpStatusCode.BadRequest, "name");
        Assert.Single(await Keys.ListAsync(Admin), k => k.Str("name") == "once");
    }

    [Fact]
    public async Task AnAdminKey_CannotGrantAScopeItLacks()
    {
        var admin = app.ClientFor(TestKeys.Admin);
        var keysBefore = await app.CountAsync("api_keys");
        await (await admin.PostJsonAsync(Keys.Path, """{"name": "escalate", "scopes": ["admin", "erasure:read"]}"""))
            .ProblemAsync(HttpStatusCode.Forbidden, "scopes");
        Assert.Equal(keysBefore, await app.CountAsync("api_keys"));

        var admins = await (await admin.PostJsonAsync(Keys.Path, """{"name": "second-admin", "scopes": ["admin"]}""")).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(TestKeys.Admin.Name, (await KeyEventsAsync(admins.Str("id"))).Single().Actor);
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesTheKeyRoutes()
    {
        var document = await (await app.ClientFor(null).GetAsync("/openapi/v1.json")).JsonAsync(HttpStatusCode.OK);
        var paths = document.GetProperty("paths");
        var keys = paths.GetProperty("/api/v1/keys");
        Assert.True(keys.TryGetProperty("post", out _) && keys.TryGetProperty("get", out _), keys.ToString());
        Assert.True(paths.GetProperty("/api/v1/keys/{id}").TryGetProperty("delete", out _));
    }

    public static TheoryData<string, string> Invalid() => new()
    {
        { "{}", "name" },
        { """{"name": "", "scopes": ["erasure:read"]}""", "name" },
        { """{"name": null, "scopes": ["erasure:read"]}""", "name" },
        { $$"""{"name": "{{new string('a', 65)}}", "scopes": ["erasure:read"]}""", "name" },
        { """{"name": "Has Space", "scopes": ["erasure:read"]}""", "name" },
        { """{"name": "-leading", "scopes": ["erasure:read"]}""", "name" },
        { """{"name": "tail\n", "scopes": ["erasure:read"]}""", "name" },
        { """{"name": "anonymous", "scopes": ["erasure:read"]}""", "name" },
        { """{"name": "execution", "scopes": ["erasure:read"]}""", "name" },
        { """{"name": "miso-api", "scopes": ["erasure:read"]}""", "name" },
        { """{"name": 7, "scopes": ["erasure:read"]}""", "name" },
        { """{"name": "ok", "name": "twice", "scopes": ["erasure:read"]}""", "name" },
        { """{"name": "ok"}""", "scopes" },
        { """{"name": "ok", "scopes": []}""", "scopes" },
        { """{"name": "ok", "scopes": null}""", "scopes" },
        { """{"name": "ok", "scopes": "erasure:read"}""", "scopes" },
        { """{"name": "ok", "scopes": ["erasure:reed"]}""", "scopes" },
        { """{"name": "ok", "scopes": ["ERASURE:READ"]}""", "scopes" },
        { """{"name": "ok", "scopes": ["erasure:read", "erasure:read"]}""", "scopes" },
        { """{"name": "ok", "scopes": [null]}""", "scopes" },
        { """{"name": "ok", "scopes": [1]}""", "scopes[0]" },
        { """{"name": "ok", "scopes": ["erasure:read"], "expires_at": "2001-01-01T00:00:00Z"}""", "expires_at" },
        { """{"name": "ok", "scopes": ["erasure:read"], "expires_at": "tomorrow"}""", "expires_at" },
        { """{"name": "ok", "scopes": ["erasure:read"], "expires_at": 1893456000}""", "expires_at" },
        { """{"name": "ok", "scopes": ["erasure:read"], "key": "mpk_chosen-by-the-caller"}""", "key" },
        { """{"name": "ok", "scopes": ["erasure:read"], "Name": "ok"}""", "Name" },
        { """{"name": "ok", "scopes": ["erasure:read"]""", "body" },
        { """["ok"]""", "body" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Create_Returns400NamingTheField_AndWritesNothing(string body, string field)
    {
        var keys = await app.CountAsync("api_keys");
        var events = await app.CountAsync("audit_events");
        await (await Admin.PostJsonAsync(Keys.Path, body)).ProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal(keys, await app.CountAsync("api_keys"));
        Assert.Equal(events, await app.CountAsync("audit_events"));
    }

    sealed record KeyEvent(string Actor, string Action, string Details);

    async Task<List<KeyEvent>> KeyEventsAsync(string keyId)
    {
        await using var db = app.NewDb();
        return await db.Database.SqlQueryRaw<KeyEvent>("""
            SELECT actor AS "Actor", action AS "Action", details::text AS "Details" FROM privacy.audit_events
            WHERE action LIKE 'api_key.%' AND details->>'id' = {0} ORDER BY seq
            """, keyId).ToListAsync();
    }
}
