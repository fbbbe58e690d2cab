namespace Miso.Privacy.Cli;

/// <summary>The service's words, checked here so that a typo is a usage error before anything is sent.</summary>
static class Vocabulary
{
    public static readonly string[] Kinds = ["user_id", "anonymous_id"];
    public static readonly string[] Types = ["erase", "suppress", "delete"];
    public static readonly string[] Regulations = ["gdpr", "uk_gdpr", "ccpa", "other"];
    public static readonly string[] Statuses = ["pending", "in_progress", "completed", "failed", "cancelled"];
    public static readonly string[] Scopes = ["erasure:write", "erasure:read", "reports:read", "suppression:write", "admin"];
}
