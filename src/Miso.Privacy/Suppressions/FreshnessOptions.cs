using System.ComponentModel.DataAnnotations;

namespace Miso.Privacy.Suppressions;

/// <summary>The freshness lease, configured under <c>Forwarding</c> because it is the forwarder's promise.</summary>
public sealed class FreshnessOptions
{
    public const string Section = "Forwarding";

    /// <summary>
    /// How long an instance may forward without asking the database whether a suppression changed. Every
    /// suppression change waits until each instance has applied it or its lease has run out, so this bounds how
    /// long an erasure can wait for an instance that died. Zero turns leases off: every upload reads the version.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan FreshnessLease { get; set; } = TimeSpan.FromSeconds(5);
}
