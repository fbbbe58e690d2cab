using System.Net;
using System.Net.Sockets;

namespace Miso.Privacy.Webhooks;

/// <summary>
/// Which addresses a webhook may reach: public unicast only. Loopback, private, link-local, shared (CGNAT), multicast,
/// documentation, benchmarking, reserved and the other special-purpose ranges of the IANA registries are refused, and
/// an IPv6 address that carries an IPv4 one (mapped, NAT64, 6to4) is judged by the IPv4 address inside it.
/// </summary>
public static class OutboundAddresses
{
    static readonly (IPAddress Network, int Bits)[] SpecialV4 = Parse(
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24",
        "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4");

    /// <summary>Inside global unicast (2000::/3), the blocks that are not the public internet.</summary>
    static readonly (IPAddress Network, int Bits)[] SpecialV6 = Parse("2001::/23", "2001:db8::/32", "3fff::/20");

    static readonly (IPAddress Network, int Bits) GlobalUnicast = Parse("2000::/3")[0];
    static readonly (IPAddress Network, int Bits) Nat64 = Parse("64:ff9b::/96")[0];
    static readonly (IPAddress Network, int Bits) SixToFour = Parse("2002::/16")[0];

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            return IsPublic(address.MapToIPv4());
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return !SpecialV4.Any(range => Contains(range, address));
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        var bytes = address.GetAddressBytes();
        if (Contains(Nat64, address))
            return IsPublic(new IPAddress(bytes.AsSpan(12, 4)));
        if (Contains(SixToFour, address))
            return IsPublic(new IPAddress(bytes.AsSpan(2, 4)));
        // Everything outside 2000::/3 is loopback, unspecified, unique-local, link-local, multicast or unallocated.
        return Contains(GlobalUnicast, address) && !SpecialV6.Any(range => Contains(range, address));
    }

    static bool Contains((IPAddress Network, int Bits) range, IPAddress address)
    {
        if (range.Network.AddressFamily != address.AddressFamily)
            return false;
        var network = range.Network.GetAddressBytes();
        var candidate = address.GetAddressBytes();
        var bits = range.Bits;
        for (var i = 0; bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((network[i] & mask) != (candidate[i] & mask))
                return false;
        }
        return true;
    }

    static (IPAddress, int)[] Parse(params string[] ranges) =>
        ranges.Select(r => r.Split('/')).Select(p => (IPAddress.Parse(p[0]), int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture))).ToArray();
}
