using System.ComponentModel.DataAnnotations;

namespace Miso.Privacy.Forwarding;

public sealed class ForwardingOptions
{
    public const string Section = "Forwarding";

    /// <summary>Browser origins that may upload with a publishable key; empty means any origin.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    [Range(1, 1024 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 32 * 1024 * 1024;

    public bool AllowsOrigin(string origin) =>
        AllowedOrigins.Count == 0 || AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
}
