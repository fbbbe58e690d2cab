using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Miso.Privacy.OpenDsr;

namespace Miso.Privacy.Tests.OpenDsr;

/// <summary>The processor key and certificate are checked at start: each wrong one is refused with a message naming the setting.</summary>
public sealed class ProcessorIdentityTests
{
    static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    static (string Key, string Certificate) Pair(string domain = "privacy.example.com", int bits = 2048, DateTimeOffset? notAfter = null, RSA? signer = null)
    {
        using var rsa = RSA.Create(bits);
        var request = new CertificateRequest($"CN={domain}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(domain);
        request.CertificateExtensions.Add(names.Build());
        if (signer is null)
        {
            using var self = request.CreateSelfSigned(Now.AddDays(-1), notAfter ?? Now.AddDays(30));
            return (rsa.ExportPkcs8PrivateKeyPem(), self.ExportCertificatePem());
        }
        // Issued by a "CA": subject and issuer differ, as a CA-issued certificate's do.
        var issuer = new X500DistinguishedName("CN=Test CA");
        using var issued = request.Create(issuer, X509SignatureGenerator.CreateForRSA(signer, RSASignaturePadding.Pkcs1), Now.AddDays(-1),
            notAfter ?? Now.AddDays(30), [1, 2, 3, 4]);
        return (rsa.ExportPkcs8PrivateKeyPem(), issued.ExportCertificatePem());
    }

    static OpenDsrOptions Options((string Key, string Certificate) pair, string domain = "privacy.example.com", bool allowSelfSigned = true) => new()
    {
        ProcessorDomain = domain, PrivateKeyPem = pair.Key, CertificatePem = pair.Certificate, AllowSelfSignedCertificate = allowSelfSigned,
    };

    [Fact]
    public void AMatchingPair_SignsWhatItsCertificateVerifies()
    {
        var pair = Pair();
        var (identity, problems) = ProcessorIdentity.Read(Options(pair), Now);
        Assert.Empty(problems);
        using (identity)
        {
            Assert.True(identity!.Enabled);
            Assert.Equal("privacy.example.com", identity.Domain);
            var body = Encoding.UTF8.GetBytes("{\"a\":1}");
            using var certificate = X509Certificate2.CreateFromPem(identity.CertificatePem!);
            Assert.True(certificate.GetRSAPublicKey()!.VerifyData(body, Convert.FromBase64String(identity.Sign(body)), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
    }

    [Fact]
    public void WithoutAProcessorDomain_ItIsOff()
    {
        var (identity, problems) = ProcessorIdentity.Read(new OpenDsrOptions(), Now);
        Assert.Empty(problems);
        Assert.False(identity!.Enabled);
    }

    [Fact]
    public void ACaIssuedCertificate_NeedsNoPermission_AndASelfSignedOne_IsRefusedWithoutIt()
    {
        using var ca = RSA.Create(2048);
        var (issued, issuedProblems) = ProcessorIdentity.Read(Options(Pair(signer: ca), allowSelfSigned: false), Now);
        Assert.Empty(issuedProblems);
        issued!.Dispose();
        var (refused, problems) = ProcessorIdentity.Read(Options(Pair(), allowSelfSigned: false), Now);
        Assert.Null(refused);
        Assert.Contains(problems, p => p.Contains("self-signed") && p.Contains("AllowSelfSignedCertificate"));
    }

    [Fact]
    public void EachWrongKeyOrCertificate_IsRefused_NamingTheSetting()
    {
        var good = Pair();
        var other = Pair();
        (OpenDsrOptions Options, string Mentions)[] cases =
        [
            (Options((good.Key, other.Certificate)), "does not certify"),
            (Options(Pair(domain: "elsewhere.example.com")), "not issued for"),
            (Options(Pair(notAfter: Now.AddMinutes(-1)), "privacy.example.com"), "valid only"),
            (Options(Pair(bits: 1024)), "bits"),
            (Options(("not a pem", good.Certificate)), "OpenDsr:PrivateKey"),
            (Options((good.Key, "not a pem")), "OpenDsr:Certificate"),
            (new OpenDsrOptions { ProcessorDomain = "privacy.example.com", CertificatePem = good.Certificate }, "OpenDsr:PrivateKeyPem or OpenDsr:PrivateKeyFile"),
            (new OpenDsrOptions { ProcessorDomain = "privacy.example.com", PrivateKeyPem = good.Key, PrivateKeyFile = "/x", CertificatePem = good.Certificate }, "exactly one"),
            (new OpenDsrOptions { ProcessorDomain = "privacy.example.com", PrivateKeyFile = "/no/such/file.pem", CertificatePem = good.Certificate }, "cannot be read"),
            (Options(good, domain: "not a domain!"), "OpenDsr:ProcessorDomain"),
        ];
        foreach (var (options, mentions) in cases)
        {
            var (identity, problems) = ProcessorIdentity.Read(options, Now);
            Assert.Null(identity);
            Assert.True(problems.Any(p => p.Contains(mentions)), $"expected a problem mentioning '{mentions}', got: {string.Join(" | ", problems)}");
        }
    }
}
