using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Miso.Privacy.IntegrationTests.OpenDsr;

/// <summary>A processor key and a self-signed certificate for localhost, made once per test run, as run.sh makes them.</summary>
public static class OpenDsrKeys
{
    public const string Domain = "localhost";

    static readonly Lazy<(string Key, string Certificate)> Pair = new(() =>
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={Domain}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(Domain);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return (rsa.ExportPkcs8PrivateKeyPem(), certificate.ExportCertificatePem());
    });

    public static string CertificatePem => Pair.Value.Certificate;

    public static Dictionary<string, string?> Settings() => new()
    {
        ["OpenDsr:ProcessorDomain"] = Domain,
        ["OpenDsr:PrivateKeyPem"] = Pair.Value.Key,
        ["OpenDsr:CertificatePem"] = Pair.Value.Certificate,
        ["OpenDsr:AllowSelfSignedCertificate"] = "true",
    };
}

/// <summary>The service as an OpenDSR processor, without job workers: a request stays pending until the test moves it.</summary>
public sealed class OpenDsrApp : Infrastructure.PrivacyApp
{
    public override Task InitializeAsync()
    {
        foreach (var (key, value) in OpenDsrKeys.Settings())
            ExtraSettings[key] = value;
        // Callback URLs must point at public addresses here: the refusal is part of what these tests check.
        ExtraSettings["Webhooks:AllowPrivateNetworks"] = "false";
        return base.InitializeAsync();
    }
}
