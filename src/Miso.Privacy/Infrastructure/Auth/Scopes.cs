namespace Miso.Privacy.Infrastructure.Auth;

public static class Scopes
{
    public const string ErasureWrite = "erasure:write";
    public const string ErasureRead = "erasure:read";
    public const string ReportsRead = "reports:read";
    public const string SuppressionWrite = "suppression:write";
    public const string Admin = "admin";

    public const string ClaimType = "scope";

    public static readonly string[] All = [ErasureWrite, ErasureRead, ReportsRead, SuppressionWrite, Admin];
}
