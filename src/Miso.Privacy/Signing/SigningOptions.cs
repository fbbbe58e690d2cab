namespace Miso.Privacy.Signing;

/// <summary>
/// The keys that sign report manifests and audit checkpoints, oldest first. The last one with a private key signs;
/// the others stay published (by their public key alone, once rotated out) so that old evidence still verifies.
/// </summary>
public sealed class SigningOptions
{
    public const string Section = "Reports";

    public List<SigningKeyOptions> SigningKeys { get; set; } = [];
}

/// <summary>One EC P-256 key: exactly one of the four sources. Without a Kid, the key's RFC 7638 thumbprint names it.</summary>
public sealed class SigningKeyOptions
{
    public string? Kid { get; set; }
    public string? PrivateKeyPem { get; set; }
    public string? PrivateKeyFile { get; set; }
    public string? PublicKeyPem { get; set; }
    public string? PublicKeyFile { get; set; }
}
