using System.Net;
using System.Security.Cryptography;
using System.Text;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Signing;

/// <summary>The public halves of the signing keys, for anyone: a JWKS and PEM files, the rotated-out key included.</summary>
public sealed class SigningKeyTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    /// <summary>The test signing key's RFC 7638 thumbprint, computed here from the PEM: the kid the service must give it.</summary>
    public static readonly string SigningKid = Thumbprint(TestKeys.SigningKeyPem);

    [Fact]
    public async Task Jwks_ListsEveryKeyOldestFirst_WithoutAnApiKey_AndOnlyTheirPublicMembers()
    {
        var response = await app.ClientFor(null).GetAsync("/api/v1/reports/signing-keys");
        var jwks = await response.JsonAsync(HttpStatusCode.OK);
        var keys = jwks.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal([TestKeys.RotatedKid, SigningKid], keys.Select(k => k.Str("kid")));
        foreach (var (key, pem) in keys.Zip([TestKeys.RotatedPublicKeyPem, TestKeys.SigningKeyPem]))
        {
            Assert.Equal(["kid", "kty", "crv", "x", "y", "alg", "use"], key.EnumerateObject().Select(p => p.Name));
            Assert.Equal(("EC", "P-256", "ES256", "sig"), (key.Str("kty"), key.Str("crv"), key.Str("alg"), key.Str("use")));
            var q = Point(pem);
            Assert.Equal((Base64Url(q.X!), Base64Url(q.Y!)), (key.Str("x"), key.Str("y")));
        }
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("\"d\"", text);
        Assert.DoesNotContain("PRIVATE", text);
    }

    [Fact]
    public async Task Pem_IsEachKeysPublicHalf_WithoutAnApiKey_AndAnUnknownKidIs404NamingIt()
    {
        var client = app.ClientFor(null);
        foreach (var (kid, pem) in new[] { (SigningKid, TestKeys.SigningKeyPem), (TestKeys.RotatedKid, TestKeys.RotatedPublicKeyPem) })
        {
            var response = await client.GetAsync($"/api/v1/reports/signing-keys/{kid}.pem");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/x-pem-file", response.Content.Headers.ContentType?.MediaType);
            using var expected = ECDsa.Create();
            expected.ImportFromPem(pem);
            Assert.Equal(expected.ExportSubjectPublicKeyInfoPem() + "\n", await response.Content.ReadAsStringAsync());
        }
        await (await client.GetAsync("/api/v1/reports/signing-keys/no-such-key.pem")).ProblemAsync(HttpStatusCode.NotFound, "kid");
        await (await client.GetAsync($"/api/v1/reports/signing-keys/{new string('k', 5000)}.pem")).ProblemAsync(HttpStatusCode.NotFound, "kid");
    }

    static ECPoint Point(string pem)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return key.ExportParameters(false).Q;
    }

    public static string Thumbprint(string pem)
    {
        var q = Point(pem);
        var members = $$"""{"crv":"P-256","kty":"EC","x":"{{Base64Url(q.X!)}}","y":"{{Base64Url(q.Y!)}}"}""";
        return Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(members)));
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
