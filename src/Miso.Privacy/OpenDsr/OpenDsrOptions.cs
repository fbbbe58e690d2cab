namespace Miso.Privacy.OpenDsr;

/// <summary>
/// The OpenDSR processor: on once <see cref="ProcessorDomain"/> is set, and then its RSA key and X.509 certificate are
/// required and checked at start. <c>scripts/run.sh</c> makes a self-signed pair for localhost on first run and allows it
/// with <see cref="AllowSelfSignedCertificate"/>; a deployment gives one issued by a CA (the spec's §4.1).
/// </summary>
public sealed class OpenDsrOptions
{
    public const string Section = "OpenDsr";

    /// <summary>Our domain: the X-OpenDSR-Processor-Domain header, the key of our extension, and a name the certificate covers.</summary>
    public string? ProcessorDomain { get; set; }

    public string? PrivateKeyPem { get; set; }
    public string? PrivateKeyFile { get; set; }

    /// <summary>The certificate, optionally followed by its intermediates (served as they are, at /opendsr/v1/certificate).</summary>
    public string? CertificatePem { get; set; }
    public string? CertificateFile { get; set; }

    /// <summary>Accept a self-signed certificate, which OpenDSR forbids (§4.1): for local runs and tests only.</summary>
    public bool AllowSelfSignedCertificate { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(ProcessorDomain);
}
