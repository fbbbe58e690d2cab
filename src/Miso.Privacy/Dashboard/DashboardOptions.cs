using System.ComponentModel.DataAnnotations;

namespace Miso.Privacy.Dashboard;

public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>
    /// How long a computed summary is answered without asking whether anything changed. While requests arrive every
    /// change moves the audit head, so without it every poll of every dashboard computed a summary; with it an
    /// instance computes at most one per this interval, however many dashboards poll, and the figures lag by at most
    /// this much. Zero: every poll checks the head (one index probe) and recomputes after any change.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan SummaryMaxAge { get; set; } = TimeSpan.FromSeconds(1);
}
