using System.Net;
using Miso.Privacy.ApiKeys;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.ApiKeys;

/// <summary>
/// Two instances over one database: a key created on A works on B at once, and once A has revoked it, B refuses it
/// within a second. B runs with and without its notification listener: the bound must hold without notifications.
/// </summary>
public sealed class RevocationAcrossInstancesTests
{
    /// <summary>The guarantee is one second; the poll allows a little more so a loaded machine does not fail it.</summary>
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(1.5);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task KeyCreatedOnA_WorksOnB_AndOnceRevokedOnA_IsRefusedByB(bool bListens)
    {
        await using var a = new PrivacyApp();
        await a.InitializeAsync();
        await using var b = new PrivacyApp { ConnectionString = a.ConnectionString };
        if (!bListens)
            b.TestServices = services => services.Remove(services.Single(d => d.ImplementationType == typeof(KeyChangeListener)));
        await b.InitializeAsync();

        // B reads its snapshot of keys before the key exists.
        var unknown = b.CreateClient();
        unknown.DefaultRequestHeaders.Add("X-Api-Key", "mpk_" + new string('x', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, await Keys.ReadAsync(unknown));

        var created = await Keys.CreateAsync(a.ClientFor(TestKeys.All), bListens ? "across-listening" : "across-not-listening", [Scopes.ErasureRead]);
        var holderOnB = b.With(created.Str("key"));
        Assert.Equal(HttpStatusCode.OK, await Keys.ReadAsync(holderOnB));
        Assert.Equal(HttpStatusCode.OK, await Keys.ReadAsync(a.With(created.Str("key"))));

        Assert.Equal(HttpStatusCode.NoContent, (await a.ClientFor(TestKeys.All).DeleteAsync($"{Keys.Path}/{created.Str("id")}")).StatusCode);
        var revokedAt = DateTime.UtcNow;
        var status = HttpStatusCode.OK;
        while (status == HttpStatusCode.OK && DateTime.UtcNow - revokedAt < Patience)
            status = await Keys.ReadAsync(holderOnB);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, await Keys.ReadAsync(holderOnB));
        Assert.Equal(HttpStatusCode.Unauthorized, await Keys.ReadAsync(a.With(created.Str("key"))));
    }
}
