using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Miso.Privacy.OpenDsr;

/// <summary>
/// Who we are to OpenDSR controllers: our processor domain, and the RSA key whose certificate they fetch from discovery.
/// Every answer and callback is signed with it: RSA PKCS#1 v1.5 over SHA-256 of the exact body bytes, in base64.
/// </summary>
public sealed class ProcessorIdentity : IDisposable
{
    public const int MinKeyBits = 2048;

    readonly RSA? _key;
    readonly Lock _gate = new();

    ProcessorIdentity(string? domain, RSA? key, string? certificatePem) => (Domain, _key, CertificatePem) = (domain, key, certificatePem);

    public static readonly ProcessorIdentity Disabled = new(null, null, null);

    public bool Enabled => _key is not null;
    public string? Domain { get; }

    /// <summary>The certificate (and any intermediates) as PEM, as configured.</summary>
    public string? CertificatePem { get; }

    public string Sign(ReadOnlySpan<byte> body)
    {
        var key = _key ?? throw new InvalidOperationException("OpenDSR is not enabled.");
        lock (_gate)
            return Convert.ToBase64String(key.SignData(body, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public static ProcessorIdentity Load(IOptions<OpenDsrOptions> options, TimeProvider clock)
    {
        var (identity, problems) = Read(options.Value, clock.GetUtcNow());
        return identity ?? throw new OptionsValidationException(OpenDsrOptions.Section, typeof(OpenDsrOptions), problems);
    }

    public static (ProcessorIdentity? Identity, List<string> Problems) Read(OpenDsrOptions o, DateTimeOffset now)
    {
        var problems = new List<string>();
        if (!o.Enabled)
            return (Disabled, problems);
        const string S = OpenDsrOptions.Section;
        var domain = o.ProcessorDomain!.Trim().ToLowerInvariant();
        if (Uri.CheckHostName(domain) is not (UriHostNameType.Dns or UriHostNameType.IPv4) || domain.Length > 253)
            problems.Add($"{S}:ProcessorDomain must be a host name, like privacy.example.com.");
        var keyPem = Source(o.PrivateKeyPem, o.PrivateKeyFile, "PrivateKey", problems);
        var certificatePem = Source(o.CertificatePem, o.CertificateFile, "Certificate", problems);
        if (keyPem is null || certificatePem is null || problems.Count > 0)
            return (null, problems);

        var key = RSA.Create();
        try
        {
            key.ImportFromPem(keyPem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            problems.Add($"{S}:PrivateKey is not a PEM holding an unencrypted RSA private key; make one with: {Make}");
            key.Dispose();
            return (null, problems);
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem);
        }
        catch (CryptographicException)
        {
            key.Dispose();
            problems.Add($"{S}:Certificate is not a PEM holding an X.509 certificate.");
            return (null, problems);
        }
        using (certificate)
        {
            if (key.KeySize < MinKeyBits)
                problems.Add($"{S}:PrivateKey is {key.KeySize} bits; at least {MinKeyBits} are needed.");
            if (certificate.GetRSAPublicKey() is not { } certified || !certified.ExportParameters(false).Modulus.AsSpan().SequenceEqual(key.ExportParameters(false).Modulus))
                problems.Add($"{S}:Certificate does not certify {S}:PrivateKey (the certificate's public key is another key).");
            if (now.UtcDateTime < certificate.NotBefore.ToUniversalTime() || now.UtcDateTime >= certificate.NotAfter.ToUniversalTime())
                problems.Add($"{S}:Certificate is valid only from {Time(certificate.NotBefore)} to {Time(certificate.NotAfter)}.");
            if (!certificate.MatchesHostname(domain))
                problems.Add($"{S}:Certificate is not issued for {S}:ProcessorDomain {domain}: controllers check that the signing certificate matches the domain.");
            // OpenDSR §4.1: certificates MUST be issued by a trusted CA; a self-signed one MUST NOT be used. Only a local run
            // (run.sh, the tests) says it may, by name: an environment name is too easy to leave at its default.
            if (!o.AllowSelfSignedCertificate && certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
                problems.Add($"{S}:Certificate is self-signed, which OpenDSR forbids (§4.1); give one issued by a certificate authority for {domain} "
                    + $"({S}:AllowSelfSignedCertificate is for local runs only).");
        }
        if (problems.Count > 0)
        {
            key.Dispose();
            return (null, problems);
        }
        return (new ProcessorIdentity(domain, key, certificatePem.Trim() + "\n"), problems);
    }

    const string Make = "openssl req -x509 -newkey rsa:2048 -nodes -keyout opendsr-key.pem -out opendsr-cert.pem -subj /CN=<domain> -addext subjectAltName=DNS:<domain>";

    static string? Source(string? pem, string? file, string name, List<string> problems)
    {
        var at = $"{OpenDsrOptions.Section}:{name}";
        var given = new[] { pem, file }.Count(s => !string.IsNullOrWhiteSpace(s));
        if (given != 1)
        {
            problems.Add($"{at}Pem or {at}File (exactly one) is required while {OpenDsrOptions.Section}:ProcessorDomain is set.");
            return null;
        }
        if (!string.IsNullOrWhiteSpace(pem))
            return pem;
        try
        {
            return File.ReadAllText(file!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{at}File cannot be read ({e.Message}).");
            return null;
        }
    }

    static string Time(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public void Dispose() => _key?.Dispose();
}

/// <summary>Checks the key and certificate at start, so a missing or wrong one stops the service with a message naming the setting.</summary>
sealed class OpenDsrOptionsValidation(TimeProvider clock) : IValidateOptions<OpenDsrOptions>
{
    public ValidateOptionsResult Validate(string? name, OpenDsrOptions options)
    {
        var (identity, problems) = ProcessorIdentity.Read(options, clock.GetUtcNow());
        if (!ReferenceEquals(identity, ProcessorIdentity.Disabled))
            identity?.Dispose();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
