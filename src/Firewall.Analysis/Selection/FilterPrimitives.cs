using System.Globalization;
using Firewall.Engine.Addressing;

namespace Firewall.Analysis.Selection;

/// <summary>
/// The qualifiers in force for an id (pcap-filter: protocol, direction, type). An id written alone after
/// <c>and</c>/<c>or</c> takes the qualifiers of the primitive before it (<c>port 80 or 443</c>).
/// </summary>
internal readonly record struct FilterQualifiers(string? Protocol, FilterDirection Direction, string? Type);

/// <summary>Turns an id under its qualifiers into a <see cref="FilterTest"/>, with pcap-filter's checks and our own words for what is refused.</summary>
internal static class FilterPrimitives
{
    /// <summary>The protocol names that stand alone as primitives, and their IP version (0: both) and protocol number.</summary>
    public static readonly IReadOnlyDictionary<string, (byte Version, byte Protocol)> Protocols = new Dictionary<string, (byte, byte)>
    {
        ["ip"] = (4, 0),
        ["ip6"] = (6, 0),
        ["tcp"] = (0, IpProtocol.Tcp),
        ["udp"] = (0, IpProtocol.Udp),
        ["sctp"] = (0, 132),
        ["icmp"] = (4, IpProtocol.Icmp),
        ["icmp6"] = (6, IpProtocol.IcmpV6),
    };

    /// <summary>pcap-filter words this filter does not read; each is refused by name where it stands.</summary>
    public static readonly IReadOnlySet<string> Unsupported = new HashSet<string>(StringComparer.Ordinal)
    {
        "ether", "fddi", "tr", "wlan", "link", "ppp", "slip", "arp", "rarp", "vlan", "mpls", "pppoed", "pppoes", "geneve",
        "vxlan", "llc", "gateway", "broadcast", "multicast", "proto", "protochain", "less", "greater", "len", "inbound",
        "outbound", "ifindex", "igmp", "igrp", "pim", "vrrp", "carp", "ah", "esp", "atalk", "aarp", "decnet", "lat", "sca",
        "moprc", "mopdl", "iso", "esis", "isis", "clnp", "stp", "ipx", "netbeui", "radio", "type", "subtype", "dir",
        "addr1", "addr2", "addr3", "addr4", "ra", "ta", "batadv", "ifname", "on", "rnr", "rulenum", "reason", "rset",
        "ruleset", "srnr", "subrulenum", "action", "lane", "oam", "oamf4", "metac", "bcc", "sc", "ilmic", "vpi", "vci",
        "connectmsg", "metaconnect", "sio", "opc", "dpc", "sls", "fisu", "lssu", "msu", "hfisu", "hlssu", "hmsu", "hsio",
        "hopc", "hdpc", "hsls", "l1", "l2", "iih", "lsp", "snp", "csnp", "psnp",
    };

    public const string Supported = "host, net, port, portrange, src, dst, ip, ip6, tcp, udp, icmp, icmp6, sctp, and, or, not and parentheses";

    /// <summary>True for a word that can only be an id: an address, a network, a number or a range.</summary>
    public static bool IsValue(string word) =>
        word.Length > 0 && (char.IsAsciiDigit(word[0]) || word.Contains(':') || word.Contains('/'));

    /// <param name="mask">The dotted mask of <c>net A mask M</c>, when given.</param>
    public static FilterTest? Build(FilterQualifiers q, FilterToken id, FilterToken? mask, out FilterError error)
    {
        error = default;
        var type = q.Type ?? (id.Text.Contains('/') ? "net" : IpAddr.TryParse(id.Text, out _) ? "host" : null);
        if (type is null)
        {
            error = new FilterError(id.Offset, IsValue(id.Text)
                ? $"'{id.Text}' needs host, net, port or portrange before it"
                : $"'{id.Text}': names are not looked up; write an address, a network or a port number");
            return null;
        }
        if (mask is not null && type != "net")
        {
            error = new FilterError(mask.Value.Offset, "'mask' applies to net only");
            return null;
        }
        return type switch
        {
            "host" => Host(q, id, out error),
            "net" => Net(q, id, mask, out error),
            _ => Ports(q, type, id, out error),
        };
    }

    private static FilterTest? Host(FilterQualifiers q, FilterToken id, out FilterError error)
    {
        error = default;
        if (!IpAddr.TryParse(id.Text, out var address))
        {
            error = new FilterError(id.Offset, id.Text.Contains('/')
                ? $"'host' takes one address; for '{id.Text}' write net"
                : IsValue(id.Text) ? $"expected an IPv4 or IPv6 address after host, found '{id.Text}'"
                : $"'{id.Text}': host names are not looked up; write the address");
            return null;
        }
        return Address(q, "host", Cidr.Host(address), null, id, out error);
    }

    private static FilterTest? Net(FilterQualifiers q, FilterToken id, FilterToken? maskToken, out FilterError error)
    {
        error = default;
        var text = id.Text;
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (!ParseNetAddress(addressText, out var address, out var octets))
        {
            error = new FilterError(id.Offset, $"expected a network after net (10.0.0.0/8, 10, 192.168, 2001:db8::/32), found '{text}'");
            return null;
        }
        int prefix;
        if (slash >= 0)
        {
            if (maskToken is not null || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > address.BitLength)
            {
                error = new FilterError(id.Offset + slash + 1, $"expected a prefix length 0-{address.BitLength} after '/', found '{text[(slash + 1)..]}'");
                return null;
            }
        }
        else
        {
            prefix = address.IsV6 ? 128 : octets * 8;
        }
        if (maskToken is { } m)
        {
            return Masked(q, id, address, octets, m, out error);
        }
        var cidr = Cidr.Create(address, prefix);
        if (cidr.Network != address)
        {
            error = new FilterError(id.Offset, $"non-network bits set in '{text}' (the network is {cidr})");
            return null;
        }
        return Address(q, "net", cidr, null, id, out error);
    }

    /// <summary><c>net A mask M</c>: IPv4 only, and the mask need not be contiguous (as in pcap).</summary>
    private static FilterTest? Masked(FilterQualifiers q, FilterToken id, IpAddr address, int octets, FilterToken maskToken, out FilterError error)
    {
        error = default;
        if (address.IsV6 || octets != 4 || !IpAddr.TryParse(maskToken.Text, out var mask) || mask.IsV6)
        {
            error = new FilterError(address.IsV6 || octets != 4 ? id.Offset : maskToken.Offset,
                "net A mask M takes an IPv4 address and a dotted IPv4 mask (e.g. net 10.0.0.0 mask 255.0.0.0)");
            return null;
        }
        if ((address.V4 & ~mask.V4) != 0)
        {
            error = new FilterError(id.Offset, $"non-network bits set in '{id.Text} mask {maskToken.Text}'");
            return null;
        }
        var bits = System.Numerics.BitOperations.PopCount(mask.V4);
        var contiguous = bits == 0 || mask.V4 == uint.MaxValue << (32 - bits);
        return contiguous
            ? Address(q, "net", Cidr.Create(address, bits), null, id, out error)
            : Address(q, "net", default, (address, mask.V4), id, out error);
    }

    /// <summary>A dotted IPv4 network of one to four octets (pcap's <c>net 10</c> is 10.0.0.0/8), or an IPv6 address.</summary>
    private static bool ParseNetAddress(string text, out IpAddr address, out int octets)
    {
        octets = 0;
        if (text.Contains(':'))
        {
            return IpAddr.TryParse(text, out address);
        }
        address = default;
        var parts = text.Split('.');
        if (parts.Length > 4)
        {
            return false;
        }
        uint value = 0;
        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0')
                || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var octet))
            {
                return false;
            }
            value = (value << 8) | octet;
        }
        octets = parts.Length;
        address = IpAddr.FromV4(value << (8 * (4 - parts.Length)));
        return true;
    }

    private static FilterTest? Address(FilterQualifiers q, string type, Cidr cidr, (IpAddr Network, uint Mask)? masked, FilterToken id, out FilterError error)
    {
        error = default;
        var v6 = masked is null && cidr.IsV6;
        if (q.Protocol is not (null or "ip" or "ip6") || (q.Protocol == "ip" && v6) || (q.Protocol == "ip6" && !v6))
        {
            error = new FilterError(id.Offset, q.Protocol is "ip" or "ip6"
                ? $"'{q.Protocol} {type}' takes an IPv{(q.Protocol == "ip" ? 4 : 6)} address, found '{id.Text}'"
                : $"'{q.Protocol}' cannot qualify {type}: write {q.Protocol} and {type} {id.Text}");
            return null;
        }
        var ones = v6 ? IpAddr.FromV6(ulong.MaxValue, ulong.MaxValue) : IpAddr.FromV4(uint.MaxValue);
        var maskAddress = masked is { } m ? IpAddr.FromV4(m.Mask) : Cidr.Create(ones, cidr.PrefixLength).Network;
        var network = masked?.Network ?? cidr.Network;
        var shown = masked is { } n ? $"{n.Network} mask {IpAddr.FromV4(n.Mask)}"
            : type == "host" ? network.ToString() : cidr.ToString();
        return new FilterTest
        {
            Kind = FilterTestKind.Address,
            Direction = q.Direction,
            Version = (byte)(v6 ? 6 : 4),
            Network = network,
            MaskHi = maskAddress.Hi,
            MaskLo = maskAddress.Lo,
            Text = Words(q.Protocol, q.Direction, type, shown),
        };
    }

    private static FilterTest? Ports(FilterQualifiers q, string type, FilterToken id, out FilterError error)
    {
        error = default;
        byte transports = q.Protocol switch
        {
            null => FilterTest.PortTcp | FilterTest.PortUdp,
            "tcp" => FilterTest.PortTcp,
            "udp" => FilterTest.PortUdp,
            "sctp" => 0, // SCTP's ports are not decoded: nothing matches
            _ => 0xff,
        };
        if (transports == 0xff)
        {
            error = new FilterError(id.Offset, $"'{q.Protocol}' cannot qualify {type}: ports belong to tcp, udp and sctp");
            return null;
        }
        var dash = type == "portrange" ? id.Text.IndexOf('-') : -1;
        if (type == "portrange" && dash < 0)
        {
            error = new FilterError(id.Offset, $"expected a range N-M after portrange, found '{id.Text}'");
            return null;
        }
        var first = dash < 0 ? id.Text : id.Text[..dash];
        if (!Port(first, id.Offset, out var low, out error)
            || !Port(dash < 0 ? first : id.Text[(dash + 1)..], id.Offset + dash + 1, out var high, out error))
        {
            return null;
        }
        if (low > high)
        {
            (low, high) = (high, low); // pcap takes a reversed range as written the other way
        }
        return new FilterTest
        {
            Kind = FilterTestKind.Port,
            Direction = q.Direction,
            PortProtocols = transports,
            PortLow = low,
            PortHigh = high,
            Text = Words(q.Protocol, q.Direction, type, dash < 0 ? $"{low}" : $"{low}-{high}"),
        };
    }

    private static bool Port(string text, int offset, out ushort port, out FilterError error)
    {
        error = default;
        if (ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port))
        {
            return true;
        }
        error = new FilterError(offset, text.Length > 0 && char.IsAsciiLetter(text[0])
            ? $"'{text}': service names are not looked up; write the port number"
            : $"expected a port number 0-65535, found '{text}'");
        return false;
    }

    public static string Words(string? protocol, FilterDirection direction, string type, string id)
    {
        var dir = direction switch
        {
            FilterDirection.Src => "src ",
            FilterDirection.Dst => "dst ",
            FilterDirection.SrcAndDst => "src and dst ",
            _ => "",
        };
        return $"{(protocol is null ? "" : protocol + " ")}{dir}{type} {id}";
    }
}
