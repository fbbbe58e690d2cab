using System.Security.Cryptography;
using System.Text;
using Miso.Privacy.Infrastructure.Auth;

namespace Miso.Privacy.IntegrationTests.Infrastructure;

public sealed record TestKey(string Name, string Value, string[] Scopes);

public static class TestKeys
{
    public static readonly TestKey All = new("support-all", "key-all-0123456789", Scopes.All);
    public static readonly TestKey Writer = new("support-writer", "key-writer-0123456789", [Scopes.ErasureWrite]);
    public static readonly TestKey Reader = new("dashboard-reader", "key-reader-0123456789", [Scopes.ErasureRead]);
    public static readonly TestKey Reports = new("auditor", "key-reports-0123456789", [Scopes.ReportsRead]);
    public static readonly TestKey Suppression = new("privacy-officer", "key-suppression-0123456789", [Scopes.SuppressionWrite]);
    public static readonly TestKey Admin = new("operator", "key-admin-0123456789", [Scopes.Admin]);
    public static readonly TestKey None = new("no-scopes", "key-none-0123456789", []);

    public static readonly TestKey[] Configured = [All, Writer, Reader, Reports, Suppression, Admin, None];

    public static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>The key that signs manifests and checkpoints in tests (EC P-256, PKCS#8); its kid is its RFC 7638 thumbprint.</summary>
    public const string SigningKeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgQTg248b1YWADBbl0
        gPOY92GdXW8/6cE7CMVCw6hPY1ShRANCAASP1WRNhuP4kVQCzNcBI/phIszhdCDV
        NRlw8fWI7Lsy6j3UwdcLkZfGDVCPNHp7+fQTcYI77fMcUjiQDSLf6DDH
        -----END PRIVATE KEY-----
        """;

    /// <summary>A rotated-out key: configured by its public half only, and still published so that old evidence verifies.</summary>
    public const string RotatedKid = "2025-rotated";

    public const string RotatedPublicKeyPem = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2I5x4qrZPUPsxY3AYA6kTeWD4PbW
        3ux09JjLNFDH722USQIa24PHansVJp/sodrpwlN6J1bz1QXnrYT1eIJx9A==
        -----END PUBLIC KEY-----
        """;

    /// <summary>A well-formed key on the wrong curve (P-384), which the service must refuse.</summary>
    public const string P384KeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDCKereKXrKhDZ4UrGbb
        uXrr742QhP9/J5ezKfWMXbatUpt2sOHr+zKIhQvpvU1/DvyhZANiAAR8cIxsxzqM
        QyPmXCLbo2jRvtKFxEcoq8B4TIWzXr2nB8yW3YUpM7T/ac5w2L+tdhXZSeF6yTI/
        ILs4wlaft4dYx7IzH2TgR9VS87YmlPJRJ7NB2bTd/jskeIDoGTZkT7o=
        -----END PRIVATE KEY-----
        """;

    /// <summary>The configuration of both: the rotated key first, the signing key last.</summary>
    public static readonly Dictionary<string, string?> SigningSettings = new()
    {
        ["Reports:SigningKeys:0:Kid"] = RotatedKid,
        ["Reports:SigningKeys:0:PublicKeyPem"] = RotatedPublicKeyPem,
        ["Reports:SigningKeys:1:PrivateKeyPem"] = SigningKeyPem,
    };

    public const string SubjectHashKey = "c3ViamVjdC1oYXNoLWtleS1mb3ItdGVzdHMtb25seS0wMTIzNDU2Nzg5";

    /// <summary>Exactly 32 bytes: "retention-key-for-tests-only-012".</summary>
    public const string RetentionKey = "cmV0ZW50aW9uLWtleS1mb3ItdGVzdHMtb25seS0wMTI=";
}
