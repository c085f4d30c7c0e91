using System.Globalization;
using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Flows.Definitions;

namespace Firewall.Flows.Loading;

/// <summary>An error in a flow line: <see cref="Offset"/> is the 0-based character where it was found.</summary>
public readonly record struct FlowLineError(int Offset, string Message);

/// <summary>
/// Parses and resolves the one-line flow form <c>PROTOCOL SOURCE -&gt; DESTINATION</c>, shared by flows
/// files, test files and <c>explain</c>. An endpoint is an IPv4 address, <c>[IPv6]</c>, a bare IPv6
/// address (no port), or an interface name from the ruleset, each optionally followed by <c>:PORT</c>;
/// <c>*</c> as a port picks an ephemeral port. Never throws for any text.
/// </summary>
public static class FlowLine
{
    public const string Form = "'PROTOCOL SOURCE -> DESTINATION', e.g. 'tcp 198.51.100.7:51514 -> web-1:443'";

    private readonly record struct RawEndpoint(string Host, IpAddr? Address, PortSpec Port, bool HasPort, int Offset, int PortOffset);

    public static bool TryParse(string text, Ruleset? ruleset, out FlowTuple? flow, out FlowLineError error)
    {
        flow = null;
        if (!TrySplit(text, out var parts, out error)
            || !TryEndpoint(parts.Src, parts.SrcStart, out var src, out error)
            || !TryEndpoint(parts.Dst, parts.DstStart, out var dst, out error))
        {
            return false;
        }
        var protocol = parts.Protocol;
        if (PortProblem(protocol, src, dst) is { } portProblem)
        {
            error = portProblem;
            return false;
        }
        if (!Resolve(src, dst, ruleset, out var srcAddr, out var dstAddr, out error))
        {
            return false;
        }
        if (protocol == IpProtocol.Icmp && srcAddr.IsV6)
        {
            error = new FlowLineError(parts.ProtocolStart, "icmp is IPv4 only; IPv6 endpoints need icmpv6");
            return false;
        }
        if (protocol == IpProtocol.IcmpV6 && !srcAddr.IsV6)
        {
            error = new FlowLineError(parts.ProtocolStart, "icmpv6 needs IPv6 endpoints; IPv4 endpoints need icmp");
            return false;
        }
        var hasPorts = IpProtocol.HasPorts(protocol);
        var srcPort = hasPorts ? (src.HasPort ? src.Port : new PortSpec(0, true)) : PortSpec.None;
        var dstPort = hasPorts ? dst.Port : PortSpec.None;
        flow = new FlowTuple(
            protocol,
            new FlowEndpoint(srcAddr, srcPort, src.Address is null ? src.Host : null),
            new FlowEndpoint(dstAddr, dstPort, dst.Address is null ? dst.Host : null),
            text.Trim());
        error = default;
        return true;
    }

    /// <summary>A flow line cut into its protocol and its two endpoints' text, with where each starts.</summary>
    private readonly record struct FlowParts(byte Protocol, int ProtocolStart, string Src, int SrcStart, string Dst, int DstStart);

    private static bool TrySplit(string text, out FlowParts parts, out FlowLineError error)
    {
        parts = default;
        var arrow = text.IndexOf("->", StringComparison.Ordinal);
        if (arrow < 0)
        {
            error = new FlowLineError(0, $"expected a flow {Form}, found '{Shorten(text)}' (no '->')");
            return false;
        }
        var left = text[..arrow];
        var first = SkipSpaces(left, 0);
        var protoEnd = first;
        while (protoEnd < left.Length && !char.IsWhiteSpace(left[protoEnd]))
        {
            protoEnd++;
        }
        var protoText = left[first..protoEnd];
        if (!TryProtocol(protoText, out var protocol))
        {
            error = new FlowLineError(first, $"expected a protocol (tcp, udp, icmp, icmpv6 or a number 0-255), found '{Shorten(protoText)}'");
            return false;
        }
        var srcStart = SkipSpaces(left, protoEnd);
        var srcText = left[srcStart..].TrimEnd();
        if (srcText.Length == 0 || srcText.Any(char.IsWhiteSpace))
        {
            error = new FlowLineError(srcStart, $"expected one source endpoint between the protocol and '->', found '{Shorten(srcText)}'");
            return false;
        }
        var dstStart = SkipSpaces(text, arrow + 2);
        var dstText = text[dstStart..].TrimEnd();
        if (dstText.Length == 0 || dstText.Any(char.IsWhiteSpace) || dstText.Contains("->", StringComparison.Ordinal))
        {
            error = new FlowLineError(dstStart, $"expected one destination endpoint after '->', found '{Shorten(dstText)}'");
            return false;
        }
        parts = new FlowParts(protocol, first, srcText, srcStart, dstText, dstStart);
        error = default;
        return true;
    }

    /// <summary>Ports where the protocol has none, a missing or ephemeral destination port: the first of them, or null.</summary>
    private static FlowLineError? PortProblem(byte protocol, RawEndpoint src, RawEndpoint dst)
    {
        var hasPorts = IpProtocol.HasPorts(protocol);
        foreach (var e in new[] { src, dst })
        {
            if (!hasPorts && e.HasPort)
            {
                return new FlowLineError(e.PortOffset, $"{IpProtocol.Name(protocol)} has no ports; write the endpoint without ':{e.Port}'");
            }
        }
        if (hasPorts && !dst.HasPort)
        {
            return new FlowLineError(dst.Offset + dst.Host.Length, $"expected a destination port for {IpProtocol.Name(protocol)} (e.g. '{dst.Host}:443')");
        }
        if (hasPorts && dst.Port.Ephemeral)
        {
            return new FlowLineError(dst.PortOffset, "the destination port must be a number: the server's port is never ephemeral");
        }
        return null;
    }

    /// <summary>Protocol names as rulesets write them (SPEC §3).</summary>
    public static bool TryProtocol(string text, out byte protocol)
    {
        protocol = text switch
        {
            "tcp" => IpProtocol.Tcp,
            "udp" => IpProtocol.Udp,
            "icmp" => IpProtocol.Icmp,
            "icmpv6" => IpProtocol.IcmpV6,
            _ => 0,
        };
        if (protocol != 0)
        {
            return true;
        }
        return text.Length is > 0 and <= 3 && text.All(char.IsAsciiDigit)
            && byte.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out protocol);
    }

    private static bool TryEndpoint(string text, int offset, out RawEndpoint endpoint, out FlowLineError error)
    {
        endpoint = default;
        if (!TrySplitHost(text, offset, out var host, out var portText, out var portOffset, out error))
        {
            return false;
        }
        var port = PortSpec.None;
        if (portText is not null)
        {
            if (portText == "*")
            {
                port = new PortSpec(0, true);
            }
            else if (portText.Length is > 0 and <= 5 && portText.All(char.IsAsciiDigit)
                && int.Parse(portText, CultureInfo.InvariantCulture) is var n and <= 65535)
            {
                port = new PortSpec((ushort)n, false);
            }
            else
            {
                error = new FlowLineError(portOffset, $"expected a port 0-65535 or '*', found '{Shorten(portText)}'");
                return false;
            }
        }
        if (host.Length == 0)
        {
            error = new FlowLineError(offset, "expected an address or interface name before ':'");
            return false;
        }
        IpAddr? address = IpAddr.TryParse(host, out var a) ? a : null;
        endpoint = new RawEndpoint(host, address, port, portText is not null, offset, portOffset);
        return true;
    }

    /// <summary>An endpoint's host and port text: <c>[v6]:port</c>, a bare IPv6 address (no port), or <c>host:port</c>.</summary>
    private static bool TrySplitHost(string text, int offset, out string host, out string? portText, out int portOffset, out FlowLineError error)
    {
        error = default;
        portText = null;
        portOffset = -1;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                host = "";
                error = new FlowLineError(offset, $"expected '[IPv6]' or '[IPv6]:port', found '{Shorten(text)}' (no ']')");
                return false;
            }
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    error = new FlowLineError(offset + close + 1, $"expected ':port' after ']', found '{Shorten(rest)}'");
                    return false;
                }
                portText = rest[1..];
                portOffset = offset + close + 2;
            }
            if (!IpAddr.TryParse(host, out var v6) || !v6.IsV6)
            {
                error = new FlowLineError(offset + 1, $"expected an IPv6 address inside [ ], found '{Shorten(host)}'");
                return false;
            }
            return true;
        }
        if (text.Count(c => c == ':') > 1)
        {
            host = text; // a bare IPv6 address: only without a port (write [v6]:port for one)
            if (!IpAddr.TryParse(host, out _))
            {
                error = new FlowLineError(offset, $"expected an address or interface name, found '{Shorten(text)}'; an IPv6 address with a port is written [2001:db8::1]:443");
                return false;
            }
            return true;
        }
        var colon = text.LastIndexOf(':');
        host = colon < 0 ? text : text[..colon];
        if (colon >= 0)
        {
            portText = text[(colon + 1)..];
            portOffset = offset + colon + 1;
        }
        return true;
    }

    /// <summary>
    /// Interface names become the interface's first address of the family of the other endpoint; when
    /// both ends are names, IPv4 when both have an IPv4 address, else IPv6.
    /// </summary>
    private static bool Resolve(RawEndpoint src, RawEndpoint dst, Ruleset? ruleset, out IpAddr srcAddr, out IpAddr dstAddr, out FlowLineError error)
    {
        srcAddr = default;
        dstAddr = default;
        error = default;
        NetworkInterface? srcNic = null, dstNic = null;
        foreach (var (e, isSrc) in new[] { (src, true), (dst, false) })
        {
            if (e.Address is not null)
            {
                continue;
            }
            if (ruleset is null)
            {
                error = new FlowLineError(e.Offset, $"'{Shorten(e.Host)}' is not an IP address, and interface names need a ruleset");
                return false;
            }
            var nic = ruleset.FindInterface(e.Host);
            if (nic is null)
            {
                var known = ruleset.Interfaces.Count == 0 ? "the ruleset has none" : "known: " + string.Join(", ", ruleset.Interfaces.Select(i => i.Name));
                error = new FlowLineError(e.Offset, $"'{Shorten(e.Host)}' is neither an IP address nor an interface of ruleset {ruleset.Name} ({known})");
                return false;
            }
            if (isSrc) srcNic = nic; else dstNic = nic;
        }
        bool? v6;
        if (src.Address is { } s && dst.Address is { } d)
        {
            if (s.IsV6 != d.IsV6)
            {
                error = new FlowLineError(dst.Offset, $"the endpoints mix IPv4 and IPv6 ({s} and {d})");
                return false;
            }
            srcAddr = s;
            dstAddr = d;
            return true;
        }
        else if (src.Address is { } s1)
        {
            v6 = s1.IsV6;
        }
        else if (dst.Address is { } d1)
        {
            v6 = d1.IsV6;
        }
        else
        {
            var bothV4 = srcNic!.Addresses.Any(x => !x.IsV6) && dstNic!.Addresses.Any(x => !x.IsV6);
            v6 = !bothV4;
        }
        if (!Pick(src, srcNic, v6.Value, out srcAddr, out error) || !Pick(dst, dstNic, v6.Value, out dstAddr, out error))
        {
            return false;
        }
        return true;
    }

    private static bool Pick(RawEndpoint e, NetworkInterface? nic, bool v6, out IpAddr address, out FlowLineError error)
    {
        error = default;
        if (nic is null)
        {
            address = e.Address!.Value;
            return true;
        }
        var found = nic.Addresses.FirstOrDefault(a => a.IsV6 == v6);
        if (nic.Addresses.Any(a => a.IsV6 == v6))
        {
            address = found;
            return true;
        }
        address = default;
        error = new FlowLineError(e.Offset, $"interface {nic.Name} has no {(v6 ? "IPv6" : "IPv4")} address, which the other endpoint needs");
        return false;
    }

    private static int SkipSpaces(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }
        return i;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
