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

    public const string ReportSigningKey = "cmVwb3J0LXNpZ25pbmcta2V5LWZvci10ZXN0cy1vbmx5LTAxMjM0NTY3ODk=";

    public const string SubjectHashKey = "c3ViamVjdC1oYXNoLWtleS1mb3ItdGVzdHMtb25seS0wMTIzNDU2Nzg5";
}
