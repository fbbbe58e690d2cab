using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.OpenDsr;

/// <summary>
/// A controller's check, written from OpenDSR 2.0 (§6.3, §7.4, §8.6, §8.8) and not from the service's code: read
/// X-OpenDSR-Processor-Domain, fetch the certificate that discovery's <c>processor_certificate</c> names, require it to be
/// issued for that domain, and verify X-OpenDSR-Signature (base64, RSA PKCS#1 v1.5 over SHA-256) over the raw body bytes,
/// before the body is parsed.
/// </summary>
public sealed class OpenDsrVerifier(X509Certificate2 certificate)
{
    public X509Certificate2 Certificate => certificate;

    /// <summary>Discovery, then the certificate it names, fetched from the same host as discovery (its domain must match, §6.3).</summary>
    public static async Task<OpenDsrVerifier> FromDiscoveryAsync(HttpClient anonymous)
    {
        var discovery = await (await anonymous.GetAsync("/opendsr/v1/discovery")).JsonAsync(HttpStatusCode.OK);
        var location = new Uri(discovery.Str("processor_certificate"));
        Assert.Equal(anonymous.BaseAddress!.Host, location.Host);
        var pem = await anonymous.GetStringAsync(location.PathAndQuery);
        return new OpenDsrVerifier(X509Certificate2.CreateFromPem(pem));
    }

    public bool Verifies(string domain, string signature, byte[] body)
    {
        if (domain.Length == 0 || signature.Length == 0 || !certificate.MatchesHostname(domain))
            return false;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return false;
        }
        using var key = certificate.GetRSAPublicKey();
        return key is not null && key.VerifyData(body, bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>An answer: its headers and exact bytes; fails the test unless it verifies.</summary>
    public async Task<byte[]> AssertSignedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        var domain = response.Headers.TryGetValues("X-OpenDSR-Processor-Domain", out var d) ? string.Join(",", d) : "";
        var signature = response.Headers.TryGetValues("X-OpenDSR-Signature", out var s) ? string.Join(",", s) : "";
        Assert.True(Verifies(domain, signature, body), $"{(int)response.StatusCode} answer not signed by the discovered certificate: {System.Text.Encoding.UTF8.GetString(body)}");
        return body;
    }
}
