using System.ComponentModel.DataAnnotations;

namespace Miso.Privacy.Forwarding;

public sealed class ForwardingOptions
{
    public const string Section = "Forwarding";

    /// <summary>Browser origins that may upload with a publishable key; empty means any origin.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    [Range(1, 1024 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// How long an instance may forward without asking the database whether a suppression changed. Every
    /// suppression change waits until each instance has applied it or its lease has run out, so this bounds how
    /// long an erasure can wait for an instance that died. Zero turns leases off: every upload reads the version.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan FreshnessLease { get; set; } = TimeSpan.FromSeconds(5);

    public bool AllowsOrigin(string origin) =>
        AllowedOrigins.Count == 0 || AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
}
