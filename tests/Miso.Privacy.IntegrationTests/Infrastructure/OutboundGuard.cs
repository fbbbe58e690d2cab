using System.Collections.Concurrent;

namespace Miso.Privacy.IntegrationTests.Infrastructure;

/// <summary>
/// Sits in every HttpClient the service builds: a request to a host the test did not plan (start or name) fails at
/// once, and is remembered so that a failure the service swallows (a drain logging and moving on) still fails the test.
/// </summary>
public sealed class OutboundGuard
{
    readonly ConcurrentDictionary<string, bool> _planned = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<Uri> Unplanned { get; } = new();

    /// <summary>A host:port the test started, or chose on purpose (a closed port, a sink nobody listens on).</summary>
    public void Plan(Uri address) => _planned[address.Authority] = true;

    public DelegatingHandler Handler() => new Check(this);

    /// <summary>Call at the end of the test: requests that were refused, even if the service hid the failure.</summary>
    public void AssertNoneUnplanned()
    {
        if (!Unplanned.IsEmpty)
            throw new InvalidOperationException($"The service called hosts no test planned: {string.Join(", ", Unplanned.Distinct())}");
    }

    sealed class Check(OutboundGuard guard) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            if (request.RequestUri is { } uri && guard._planned.ContainsKey(uri.Authority))
                return base.SendAsync(request, ct);
            var unplanned = request.RequestUri ?? new Uri("unknown:");
            guard.Unplanned.Enqueue(new Uri(unplanned.GetLeftPart(UriPartial.Authority)));
            // Not an HttpRequestException: that would look transient and be retried.
            throw new InvalidOperationException($"Unplanned outbound HTTP to {unplanned.GetLeftPart(UriPartial.Authority)} in a test.");
        }
    }
}
