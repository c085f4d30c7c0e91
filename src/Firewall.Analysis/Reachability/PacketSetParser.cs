using System.Globalization;
using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Reachability;

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
        if (EndpointSetParser.Parse(tokens[1], ruleset, out error) is not { } source || EndpointSetParser.Parse(tokens[3], ruleset, out error) is not { } destination)
        {
            return null;
        }

        if (!IcmpFields(tokens, out var types, out var codes, out error))
        {
            return null;
        }
        var hasPorts = source.Ports is not null || destination.Ports is not null;
        if (Narrow(protocols, hasPorts, types, tokens, out error) is not { } kinds)
        {
            return null;
        }
        var parts = Parts(kinds, source, destination, types, codes);
        return new PacketSet(text.Trim(), parts) { SourcePortsGiven = source.Ports is not null };
    }

    internal readonly record struct Token(string Text, int Offset);

    /// <summary>The words after the destination: <c>type T</c> and <c>code C</c>, each at most once, a code only with a type.</summary>
    private static bool IcmpFields(List<Token> tokens, out IntervalSet? types, out IntervalSet? codes, out PacketSetError error)
    {
        error = default;
        types = null;
        codes = null;
        var i = 4;
        while (i < tokens.Count)
        {
            var word = tokens[i];
            if (word.Text is not ("type" or "code") || i + 1 >= tokens.Count)
            {
                error = new PacketSetError(word.Offset, word.Text is "type" or "code"
                    ? $"expected a number 0-255 or a range after '{word.Text}'"
                    : $"expected 'type N' or 'code N' after the destination, found '{Shorten(word.Text)}'");
                return false;
            }
            if (Numbers(tokens[i + 1], 255, $"an ICMP {word.Text} 0-255 or a range", out error) is not { } values)
            {
                return false;
            }
            if (word.Text == "type")
            {
                if (types is not null) { error = new PacketSetError(word.Offset, "'type' is given twice"); return false; }
                types = values;
            }
            else
            {
                if (codes is not null) { error = new PacketSetError(word.Offset, "'code' is given twice"); return false; }
                codes = values;
            }
            i += 2;
        }
        if (codes is not null && types is null)
        {
            error = new PacketSetError(tokens[4].Offset, "'code' needs a 'type' before it, as an ICMP rule does");
            return false;
        }
        return true;
    }

    /// <summary>The protocols a set holds once its ports or ICMP type are read: ports narrow <c>*</c> to tcp and udp, a type to icmp and icmpv6.</summary>
    private static ProtocolChoice? Narrow((ProtocolChoice, int) protocols, bool hasPorts, IntervalSet? types, List<Token> tokens, out PacketSetError error)
    {
        error = default;
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

        return kinds;
    }

    /// <summary>The set's products, one per address family that has sources, destinations and protocols.</summary>
    private static List<SetPart> Parts(ProtocolChoice kinds, EndpointSetParser.EndpointSet source, EndpointSetParser.EndpointSet destination, IntervalSet? types, IntervalSet? codes)
    {
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
        return parts;
    }

    private readonly record struct ProtocolChoice(bool All, IReadOnlyList<byte> Numbers);

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

    /// <summary>The addresses of a CIDR as an interval of its family's values.</summary>
    public static Interval Range(Cidr cidr)
    {
        var network = cidr.Network.Value;
        var hostBits = cidr.Network.BitLength - cidr.PrefixLength;
        var mask = hostBits == 0 ? UInt128.Zero : UInt128.MaxValue >> (128 - hostBits);
        return new Interval(network, network | mask);
    }

    internal static IntervalSet? Numbers(Token token, int max, string expected, out PacketSetError error)
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

    internal static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
