using System.Globalization;
using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Reachability;

/// <summary>
/// One product of a packet set, within one address family: protocols × sources × destinations ×
/// (source ports × destination ports for tcp/udp, ICMP types × codes for icmp/icmpv6). Addresses are
/// 32-bit (IPv4) or 128-bit (IPv6) values; port sets never hold 0.
/// </summary>
public sealed record SetPart(
    bool V6,
    IntervalSet Protocols,
    IntervalSet Sources,
    IntervalSet Destinations,
    IntervalSet SourcePorts,
    IntervalSet DestinationPorts,
    IntervalSet IcmpTypes,
    IntervalSet IcmpCodes)
{
    public bool IsEmpty => Protocols.IsEmpty || Sources.IsEmpty || Destinations.IsEmpty;
}

/// <summary>A set of packets written like a flow line whose endpoints may be sets: the union of its parts.</summary>
public sealed record PacketSet(string Text, IReadOnlyList<SetPart> Parts)
{
    public bool IsEmpty => Parts.All(p => p.IsEmpty);

    /// <summary>Whether the text names the source ports (<c>SOURCES:PORTS</c>); without them a set holds every source port.</summary>
    public bool SourcePortsGiven { get; init; }
}

/// <summary>An error in a packet set: <see cref="Offset"/> is the 0-based character where it was found.</summary>
public readonly record struct PacketSetError(int Offset, string Message)
{
    public override string ToString() => $"column {Offset + 1}: {Message}";
}

/// <summary>
/// Reads a packet set: <c>PROTOCOL SOURCES -&gt; DESTINATIONS [type T [code C]]</c>. PROTOCOL is tcp, udp,
/// icmp, icmpv6, a number 0-255 or <c>*</c>. An endpoint is an address set, optionally followed by
/// <c>:PORTS</c>: a comma-separated list of addresses, CIDRs, <c>[IPv6]</c> forms, interface names,
/// <c>sg:GROUP</c> (the addresses of the interfaces that carry it), <c>subnet:NAME</c>, <c>pl:NAME</c> (a
/// prefix list) and <c>*</c> (every IPv4 and IPv6 address); PORTS is a port, a range, a list of them or
/// <c>*</c> (1-65535: port 0 is in no set). A bare IPv6 address cannot be followed by a port: write
/// <c>[2001:db8::1]:443</c>. Never throws for any text.
/// </summary>
public static class PacketSetParser
{
    public const string Form = "'PROTOCOL SOURCES -> DESTINATIONS', e.g. 'tcp 0.0.0.0/0 -> db-1:5432' or '* web-1 -> *'";

    /// <summary>IPv6 "next header" values that are extension headers or "no next header", never a transport (IANA).</summary>
    public static readonly IReadOnlyList<byte> Ipv6NonTransport = [0, 43, 44, 51, 59, 60, 135, 139, 140, 253, 254];

    private static readonly UInt128 V4Max = uint.MaxValue;
    private static readonly IntervalSet AllPorts = IntervalSet.Of(1, 65535);
    private static readonly IntervalSet AllBytes = IntervalSet.Of(0, 255);

    public static PacketSet? Parse(string text, Ruleset ruleset, out PacketSetError error)
    {
        var tokens = Tokens(text);
        error = default;
        var arrow = tokens.FindIndex(t => t.Text == "->");
        if (arrow < 0)
        {
            error = new PacketSetError(0, $"expected a packet set {Form}, found '{Shorten(text)}' (no '->')");
            return null;
        }
        if (arrow != 2)
        {
            var at = arrow < 2 ? (arrow < tokens.Count ? tokens[arrow].Offset : text.Length) : tokens[2].Offset;
            error = new PacketSetError(at, arrow < 2
                ? $"expected a protocol and one source endpoint before '->', as in {Form}"
                : $"expected one source endpoint between the protocol and '->' (no spaces inside a list), found '{Shorten(tokens[2].Text)}'");
            return null;
        }
        if (tokens.Count < 4)
        {
            error = new PacketSetError(text.Length, "expected a destination endpoint after '->'");
            return null;
        }
        if (Protocols(tokens[0], out error) is not { } protocols)
        {
            return null;
        }
        if (Endpoint(tokens[1], ruleset, out error) is not { } source || Endpoint(tokens[3], ruleset, out error) is not { } destination)
        {
            return null;
        }

        IntervalSet? types = null, codes = null;
        var i = 4;
        while (i < tokens.Count)
        {
            var word = tokens[i];
            if (word.Text is not ("type" or "code") || i + 1 >= tokens.Count)
            {
                error = new PacketSetError(word.Offset, word.Text is "type" or "code"
                    ? $"expected a number 0-255 or a range after '{word.Text}'"
                    : $"expected 'type N' or 'code N' after the destination, found '{Shorten(word.Text)}'");
                return null;
            }
            if (Numbers(tokens[i + 1], 255, $"an ICMP {word.Text} 0-255 or a range", out error) is not { } values)
            {
                return null;
            }
            if (word.Text == "type")
            {
                if (types is not null) { error = new PacketSetError(word.Offset, "'type' is given twice"); return null; }
                types = values;
            }
            else
            {
                if (codes is not null) { error = new PacketSetError(word.Offset, "'code' is given twice"); return null; }
                codes = values;
            }
            i += 2;
        }
        if (codes is not null && types is null)
        {
            error = new PacketSetError(tokens[4].Offset, "'code' needs a 'type' before it, as an ICMP rule does");
            return null;
        }
        var hasPorts = source.Ports is not null || destination.Ports is not null;
        var (kinds, protocolOffset) = protocols;
        if (hasPorts && types is not null)
        {
            error = new PacketSetError(tokens[4].Offset, "ports are tcp/udp and 'type' is ICMP: a set cannot have both");
            return null;
        }
        // Ports narrow '*' to tcp and udp (the protocols that have ports), a type to icmp and icmpv6.
        if (kinds.All && hasPorts)
        {
            kinds = new ProtocolChoice(false, [IpProtocol.Tcp, IpProtocol.Udp]);
        }
        else if (kinds.All && types is not null)
        {
            kinds = new ProtocolChoice(false, [IpProtocol.Icmp, IpProtocol.IcmpV6]);
        }
        else if (hasPorts && kinds.Numbers.Any(p => !IpProtocol.HasPorts(p)))
        {
            error = new PacketSetError(protocolOffset, $"ports apply to tcp and udp only; this set's protocol is {tokens[0].Text}");
            return null;
        }
        else if (types is not null && kinds.Numbers.Any(p => !IpProtocol.IsIcmp(p)))
        {
            error = new PacketSetError(protocolOffset, $"'type' and 'code' apply to icmp and icmpv6 only; this set's protocol is {tokens[0].Text}");
            return null;
        }

        var parts = new List<SetPart>();
        foreach (var v6 in new[] { false, true })
        {
            var sources = v6 ? source.V6 : source.V4;
            var destinations = v6 ? destination.V6 : destination.V4;
            var numbers = ProtocolsOf(kinds, v6);
            if (sources.IsEmpty || destinations.IsEmpty || numbers.IsEmpty)
            {
                continue;
            }
            parts.Add(new SetPart(v6, numbers, sources, destinations, source.Ports ?? AllPorts, destination.Ports ?? AllPorts, types ?? AllBytes, codes ?? AllBytes));
        }
        return new PacketSet(text.Trim(), parts) { SourcePortsGiven = source.Ports is not null };
    }

    private readonly record struct Token(string Text, int Offset);

    private readonly record struct ProtocolChoice(bool All, IReadOnlyList<byte> Numbers);

    private sealed record EndpointSet(IntervalSet V4, IntervalSet V6, IntervalSet? Ports);

    private static List<Token> Tokens(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            var word = text[start..i];
            // "a->b" written without spaces: split around the arrow.
            var arrow = word.IndexOf("->", StringComparison.Ordinal);
            if (arrow >= 0 && word != "->")
            {
                if (arrow > 0) tokens.Add(new Token(word[..arrow], start));
                tokens.Add(new Token("->", start + arrow));
                if (arrow + 2 < word.Length) tokens.Add(new Token(word[(arrow + 2)..], start + arrow + 2));
                continue;
            }
            tokens.Add(new Token(word, start));
        }
        return tokens;
    }

    private static (ProtocolChoice, int)? Protocols(Token token, out PacketSetError error)
    {
        error = default;
        var t = token.Text.ToLowerInvariant();
        ProtocolChoice? choice = t switch
        {
            "*" or "all" => new ProtocolChoice(true, []),
            "tcp" => new ProtocolChoice(false, [IpProtocol.Tcp]),
            "udp" => new ProtocolChoice(false, [IpProtocol.Udp]),
            "icmp" => new ProtocolChoice(false, [IpProtocol.Icmp]),
            "icmpv6" => new ProtocolChoice(false, [IpProtocol.IcmpV6]),
            _ => byte.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? new ProtocolChoice(false, [n]) : null,
        };
        if (choice is null)
        {
            error = new PacketSetError(token.Offset, $"expected a protocol (tcp, udp, icmp, icmpv6, a number 0-255 or *), found '{Shorten(token.Text)}'");
            return null;
        }
        return (choice.Value, token.Offset);
    }

    /// <summary>
    /// The protocol numbers of a choice in a family: <c>*</c> is every number but ICMP of the other family
    /// and, over IPv6, the extension headers and "no next header"; <c>icmp</c> never means ICMPv6 nor the
    /// reverse, so such a number is no packet of that family.
    /// </summary>
    private static IntervalSet ProtocolsOf(ProtocolChoice choice, bool v6)
    {
        if (choice.All)
        {
            var excluded = v6 ? Ipv6NonTransport.Append(IpProtocol.Icmp) : [IpProtocol.IcmpV6];
            return AllBytes.Subtract(IntervalSet.Of(excluded.Select(b => Interval.Point(b))));
        }
        var numbers = choice.Numbers.Where(p => v6 ? p != IpProtocol.Icmp && !Ipv6NonTransport.Contains(p) : p != IpProtocol.IcmpV6);
        return IntervalSet.Of(numbers.Select(b => Interval.Point(b)));
    }

    private static EndpointSet? Endpoint(Token token, Ruleset ruleset, out PacketSetError error)
    {
        var text = token.Text;
        // A port follows the last ':' outside brackets, when what follows is a port set and what precedes
        // is an address set; otherwise the whole token is addresses (a bare IPv6 address has colons). A
        // list that ends in a bare IPv6 address has no port: '2001:db8::1:53' is one address, as in a flow
        // line; '[2001:db8::1]:53' names the port.
        var split = LastColonOutsideBrackets(text);
        var last = text[(text.LastIndexOf(',') + 1)..];
        var bareV6 = !last.StartsWith('[') && IpAddr.TryParse(last, out var lastAddress) && lastAddress.IsV6;
        if (split > 0 && !bareV6 && LooksLikePorts(text[(split + 1)..]))
        {
            if (Addresses(text[..split], token.Offset, ruleset, out error) is { } addresses)
            {
                if (Numbers(new Token(text[(split + 1)..], token.Offset + split + 1), 65535, "a port 1-65535, a range a-b or *", out error) is not { } ports)
                {
                    return null;
                }
                if (ports.Contains(UInt128.Zero))
                {
                    error = new PacketSetError(token.Offset + split + 1, "port 0 is in no set: ports are 1-65535");
                    return null;
                }
                return addresses with { Ports = ports };
            }
        }
        return Addresses(text, token.Offset, ruleset, out error);
    }

    private static int LastColonOutsideBrackets(string text)
    {
        var depth = 0;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            switch (text[i])
            {
                case ']': depth++; break;
                case '[': depth--; break;
                case ':' when depth == 0: return i;
            }
        }
        return -1;
    }

    private static bool LooksLikePorts(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiDigit(c) || c is '-' or ',' or '*');

    private static EndpointSet? Addresses(string text, int offset, Ruleset ruleset, out PacketSetError error)
    {
        error = default;
        var v4 = new List<Interval>();
        var v6 = new List<Interval>();
        var at = 0;
        foreach (var item in SplitList(text))
        {
            var itemOffset = offset + at;
            at += item.Length + 1;
            if (item.Length == 0)
            {
                error = new PacketSetError(itemOffset, "expected an address, a CIDR, a name or *, found an empty item in the list");
                return null;
            }
            if (item == "*")
            {
                v4.Add(new Interval(0, V4Max));
                v6.Add(new Interval(0, UInt128.MaxValue));
                continue;
            }
            if (Named(item, ruleset, out var cidrs, out var problem))
            {
                if (problem is not null)
                {
                    error = new PacketSetError(itemOffset, problem);
                    return null;
                }
                foreach (var c in cidrs)
                {
                    (c.IsV6 ? v6 : v4).Add(Range(c));
                }
                continue;
            }
            var bare = item.StartsWith('[') && item.EndsWith(']') ? item[1..^1] : item;
            if (bare.Contains('/'))
            {
                if (Cidr.TryParse(bare, out var cidr) != Cidr.ParseStatus.Ok)
                {
                    error = new PacketSetError(itemOffset, $"expected a CIDR such as 10.0.0.0/16 or 2001:db8::/32, found '{Shorten(item)}'");
                    return null;
                }
                (cidr.IsV6 ? v6 : v4).Add(Range(cidr));
                continue;
            }
            if (IpAddr.TryParse(bare, out var address))
            {
                (address.IsV6 ? v6 : v4).Add(Range(Cidr.Host(address)));
                continue;
            }
            error = new PacketSetError(itemOffset,
                $"expected an address, a CIDR, an interface name, sg:GROUP, subnet:NAME, pl:NAME or *, found '{Shorten(item)}' (no interface of this ruleset has that name)");
            return null;
        }
        return new EndpointSet(IntervalSet.Of(v4), IntervalSet.Of(v6), null);
    }

    /// <summary>Commas separate items, except inside brackets.</summary>
    private static IEnumerable<string> SplitList(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '[') depth++;
            else if (text[i] == ']') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    /// <summary>Names of the ruleset: true when <paramref name="item"/> is one (or claims to be one, with a problem).</summary>
    private static bool Named(string item, Ruleset ruleset, out List<Cidr> cidrs, out string? problem)
    {
        cidrs = [];
        problem = null;
        if (item.StartsWith("sg:", StringComparison.Ordinal))
        {
            var name = item[3..];
            if (ruleset.FindGroup(name) is null)
            {
                problem = $"no security group '{Shorten(name)}' in this ruleset";
                return true;
            }
            cidrs.AddRange(ruleset.Interfaces.Where(i => i.SecurityGroups.Contains(name)).SelectMany(i => i.Addresses).Select(Cidr.Host));
            return true;
        }
        if (item.StartsWith("subnet:", StringComparison.Ordinal))
        {
            var name = item[7..];
            if (ruleset.FindSubnet(name) is not { } subnet)
            {
                problem = $"no subnet '{Shorten(name)}' in this ruleset";
                return true;
            }
            cidrs.AddRange(new[] { subnet.Cidr, subnet.Ipv6Cidr }.OfType<Cidr>());
            return true;
        }
        if (item.StartsWith("pl:", StringComparison.Ordinal))
        {
            var name = item[3..];
            if (ruleset.PrefixLists.FirstOrDefault(p => p.Name == name) is not { } list)
            {
                problem = $"no prefix list '{Shorten(name)}' in this ruleset";
                return true;
            }
            cidrs.AddRange(list.Cidrs);
            return true;
        }
        if (ruleset.FindInterface(item) is { } eni)
        {
            cidrs.AddRange(eni.Addresses.Select(Cidr.Host));
            return true;
        }
        return false;
    }

    /// <summary>The addresses of a CIDR as an interval of its family's values.</summary>
    public static Interval Range(Cidr cidr)
    {
        var network = cidr.Network.Value;
        var hostBits = cidr.Network.BitLength - cidr.PrefixLength;
        var mask = hostBits == 0 ? UInt128.Zero : UInt128.MaxValue >> (128 - hostBits);
        return new Interval(network, network | mask);
    }

    private static IntervalSet? Numbers(Token token, int max, string expected, out PacketSetError error)
    {
        error = default;
        if (token.Text == "*")
        {
            return max == 65535 ? AllPorts : AllBytes;
        }
        var intervals = new List<Interval>();
        foreach (var piece in token.Text.Split(','))
        {
            var dash = piece.IndexOf('-');
            var (a, b) = dash < 0 ? (piece, piece) : (piece[..dash], piece[(dash + 1)..]);
            if (!int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var lo)
                || !int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var hi)
                || lo > hi || hi > max)
            {
                error = new PacketSetError(token.Offset, $"expected {expected}, found '{Shorten(token.Text)}'");
                return null;
            }
            intervals.Add(new Interval((UInt128)lo, (UInt128)hi));
        }
        return IntervalSet.Of(intervals);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
