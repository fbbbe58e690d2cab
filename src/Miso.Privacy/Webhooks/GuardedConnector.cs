using System.Net;
using System.Net.Sockets;

namespace Miso.Privacy.Webhooks;

/// <summary>A destination the address rules refuse; a delivery to it is failed at once, never retried.</summary>
public sealed class DestinationRefusedException(string message) : Exception(message);

/// <summary>
/// The webhook client's own connect step. It resolves the host once, refuses the connection unless every address is public,
/// connects to those very addresses, and checks the address it actually reached: a name that resolves to a public address
/// when checked and to a private one when connected (DNS rebinding) never gets a private connection. No proxy sits in
/// between (the handler's proxy is off), so the address checked is the address the request goes to.
/// </summary>
public sealed class GuardedConnector(bool allowPrivateNetworks)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        if (!allowPrivateNetworks && (addresses.Length == 0 || !addresses.All(OutboundAddresses.IsPublic)))
            throw Refused(host);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            if (!allowPrivateNetworks && (socket.RemoteEndPoint is not IPEndPoint remote || !OutboundAddresses.IsPublic(remote.Address)))
                throw Refused(host);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    static DestinationRefusedException Refused(string host) =>
        new($"refused: {host} resolves to a loopback, private, link-local or other special-purpose address (Webhooks:AllowPrivateNetworks is off)");
}
