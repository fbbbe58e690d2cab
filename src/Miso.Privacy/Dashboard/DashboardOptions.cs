using System.ComponentModel.DataAnnotations;

namespace Miso.Privacy.Dashboard;

public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>
    /// How long a computed summary is answered without asking whether anything changed; until twice this, a changed
    /// one is answered while the next is computed behind it. While requests arrive every change moves the audit head,
    /// so without it every poll of every dashboard computed a summary and waited for it; with it an instance computes
    /// at most about one per this interval, however many dashboards poll, no poll waits for a computation, and the
    /// figures lag by at most twice this. Zero: every poll checks the head (one index probe) and recomputes after any change.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan SummaryMaxAge { get; set; } = TimeSpan.FromSeconds(1);
}
