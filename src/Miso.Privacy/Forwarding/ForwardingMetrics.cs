using System.Diagnostics.Metrics;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Forwarding;

/// <summary>Counts only: which subjects were dropped is never recorded anywhere.</summary>
public sealed class ForwardingMetrics
{
    public const string MeterName = "Miso.Privacy.Forwarding";

    readonly Counter<long> _received;
    readonly Counter<long> _forwarded;
    readonly Counter<long> _dropped;
    readonly Counter<long> _anonymised;

    public ForwardingMetrics(IMeterFactory meters, SuppressionSync sync)
    {
        var meter = meters.Create(MeterName);
        _received = meter.CreateCounter<long>("miso_privacy.forwarding.records_received", "{record}", "Records in well-formed uploads.");
        _forwarded = meter.CreateCounter<long>("miso_privacy.forwarding.records_forwarded", "{record}", "Records Miso accepted.");
        _dropped = meter.CreateCounter<long>("miso_privacy.forwarding.records_dropped", "{record}", "Records dropped as naming a suppressed subject.");
        _anonymised = meter.CreateCounter<long>("miso_privacy.forwarding.requests_anonymised", "{request}",
            "Engine requests (each inner request of a bulk call counted) forwarded without the ids of a suppressed subject.");
        meter.CreateObservableGauge("miso_privacy.forwarding.suppression_set_size",
            () => sync.Sets.Environments.Select(e => new Measurement<long>(sync.Sets.CountIn(e), new KeyValuePair<string, object?>("environment", e))),
            "{subject}", "Suppressed subjects held in memory by this instance, per environment.");
    }

    public void Filtered(string environment, int received, int dropped)
    {
        var tag = new KeyValuePair<string, object?>("environment", environment);
        _received.Add(received, tag);
        if (dropped > 0) _dropped.Add(dropped, tag);
    }

    public void Anonymised(string environment, string routeFamily, int requests) =>
        _anonymised.Add(requests, new KeyValuePair<string, object?>("environment", environment), new KeyValuePair<string, object?>("route_family", routeFamily));

    public void Forwarded(string environment, int records) =>
        _forwarded.Add(records, new KeyValuePair<string, object?>("environment", environment));
}
