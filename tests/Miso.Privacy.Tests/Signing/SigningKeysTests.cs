using System.Security.Cryptography;
using System.Text;
using Miso.Privacy.Signing;

namespace Miso.Privacy.Tests.Signing;

public sealed class SigningKeysTests
{
    static string NewPrivatePem(ECCurve? curve = null)
    {
        using var key = ECDsa.Create(curve ?? ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    static string PublicPem(string privatePem)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(privatePem);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    static (SigningKeys? Keys, List<string> Problems) Read(params SigningKeyOptions[] keys) =>
        SigningKeys.Read(new SigningOptions { SigningKeys = [.. keys] });

    [Fact]
    public void TheLastKeyWithAPrivateKeySigns_AndEveryKeyIsPublished()
    {
        var older = NewPrivatePem();
        var newest = NewPrivatePem();
        var (keys, problems) = Read(new() { Kid = "old", PublicKeyPem = PublicPem(older) }, new() { PrivateKeyPem = newest },
            new() { Kid = "listed", PublicKeyPem = PublicPem(NewPrivatePem()) });
        Assert.Empty(problems);
        Assert.Equal(3, keys!.All.Count);
        Assert.Equal(keys.All[1], keys.Current);
        Assert.Equal(43, keys.Current.Kid.Length); // an RFC 7638 thumbprint, base64url of SHA-256
        Assert.False(keys.Find("old")!.CanSign);

        var signature = keys.Current.Sign("text\n");
        Assert.True(keys.Current.Verify("text\n", signature));
        Assert.False(keys.Current.Verify("text!\n", signature));
        Assert.False(keys.Find("old")!.Verify("text\n", signature));
        using var verifier = ECDsa.Create();
        verifier.ImportFromPem(newest);
        Assert.True(verifier.VerifyData(Encoding.UTF8.GetBytes("text\n"), Convert.FromBase64String(signature),
            HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.Equal(PublicPem(newest) + "\n", keys.Current.PublicKeyPem);
    }

    [Fact]
    public void OpensslsSec1Form_IsReadToo()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (keys, problems) = Read(new SigningKeyOptions { PrivateKeyPem = key.ExportECPrivateKeyPem() });
        Assert.Empty(problems);
        Assert.True(keys!.Current.CanSign);
    }

    public static TheoryData<SigningKeyOptions[], string> Broken() => new()
    {
        { [], "Reports:SigningKeys needs a key with a private key" },
        { [new() { PublicKeyPem = PublicPem(NewPrivatePem()) }], "Reports:SigningKeys needs a key with a private key" },
        { [new()], "Reports:SigningKeys:0 needs exactly one of" },
        { [new() { PrivateKeyPem = NewPrivatePem(), PublicKeyPem = PublicPem(NewPrivatePem()) }], "Reports:SigningKeys:0 needs exactly one of" },
        { [new() { PrivateKeyPem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" }], "Reports:SigningKeys:0:PrivateKeyPem is not a PEM" },
        { [new() { PrivateKeyPem = NewPrivatePem(ECCurve.NamedCurves.nistP384) }], "Reports:SigningKeys:0:PrivateKeyPem is not on the P-256 curve" },
        { [new() { PrivateKeyPem = PublicPem(NewPrivatePem()) }], "Reports:SigningKeys:0:PrivateKeyPem holds no private key" },
        { [new() { PrivateKeyPem = RSA.Create(2048).ExportPkcs8PrivateKeyPem() }], "Reports:SigningKeys:0:PrivateKeyPem is not a PEM holding an unencrypted EC key" },
        { [new() { PrivateKeyPem = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportEncryptedPkcs8PrivateKeyPem("pw",
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)) }], "Reports:SigningKeys:0:PrivateKeyPem is not a PEM holding an unencrypted EC key" },
        { [new() { PrivateKeyFile = "/nonexistent/signing-key.pem" }], "Reports:SigningKeys:0:PrivateKeyFile cannot be read" },
        { [new() { Kid = "a b", PrivateKeyPem = NewPrivatePem() }], "Reports:SigningKeys:0:Kid must be" },
        { [new() { Kid = "k", PrivateKeyPem = NewPrivatePem() }, new() { Kid = "k", PrivateKeyPem = NewPrivatePem() }], "Reports:SigningKeys:1:Kid k names another key" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void ABrokenConfiguration_IsRefused_NamingTheSetting(SigningKeyOptions[] keys, string message)
    {
        var (read, problems) = Read(keys);
        Assert.Null(read);
        Assert.Contains(problems, p => p.StartsWith(message, StringComparison.Ordinal));
    }
}
