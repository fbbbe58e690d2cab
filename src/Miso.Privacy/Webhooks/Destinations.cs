using System.Net;
using System.Net.Sockets;

namespace Miso.Privacy.Webhooks;

/// <summary>
/// Where a webhook or callback may point: an absolute http(s) URL without credentials, and (unless
/// <c>Webhooks:AllowPrivateNetworks</c>) only at public addresses. A literal address or a localhost name is judged from
/// the URL; a host name when it is resolved, which every delivery does again at connect time (see <see cref="GuardedConnector"/>).
/// </summary>
public static class Destinations
{
    public const int MaxUrlLength = 2048;

    public static string? Problem(string? url, bool allowPrivateNetworks)
    {
        if (string.IsNullOrWhiteSpace(url))
            return "Required: an absolute http or https URL.";
        if (url.Length > MaxUrlLength)
            return $"At most {MaxUrlLength} characters.";
        if (url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            return "Must be an absolute http or https URL.";
        if (uri.UserInfo.Length > 0)
            return "Must not hold a user name or password: deliveries are authenticated by their signature.";
        if (allowPrivateNetworks)
            return null;
        if (Literal(uri) is { } address && !OutboundAddresses.IsPublic(address))
            return Refused;
        var host = uri.DnsSafeHost.TrimEnd('.');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            ? Refused : null;
    }

    /// <summary>The URL's problem once its host name is resolved too (every address must be public); for endpoints an admin registers.</summary>
    public static async Task<string?> ResolvedProblemAsync(string url, bool allowPrivateNetworks, CancellationToken ct)
    {
        if (Problem(url, allowPrivateNetworks) is { } problem)
            return problem;
        var uri = new Uri(url);
        if (allowPrivateNetworks || Literal(uri) is not null)
            return null;
        IPAddress[] addresses;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            addresses = await Dns.GetHostAddressesAsync(uri.DnsSafeHost, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return "Its host name could not be resolved.";
        }
        return addresses.Length == 0 ? "Its host name could not be resolved."
            : addresses.All(OutboundAddresses.IsPublic) ? null : Refused;
    }

    public const string Refused =
        "Must point at a public address: loopback, private, link-local and other special-purpose addresses are refused (Webhooks:AllowPrivateNetworks is off).";

    static IPAddress? Literal(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(uri.DnsSafeHost, out var address) ? address : null;
}
