using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using static Firewall.Analysis.Reachability.PacketSetParser;

namespace Firewall.Analysis.Reachability;

/// <summary>
/// Reads one endpoint of a packet set: an address list (addresses, CIDRs, <c>[IPv6]</c>, interface names,
/// <c>sg:GROUP</c>, <c>subnet:NAME</c>, <c>pl:NAME</c>, <c>*</c>), optionally followed by <c>:PORTS</c>.
/// </summary>
internal static class EndpointSetParser
{
    private static readonly UInt128 V4Max = uint.MaxValue;

    internal sealed record EndpointSet(IntervalSet V4, IntervalSet V6, IntervalSet? Ports);

    public static EndpointSet? Parse(Token token, Ruleset ruleset, out PacketSetError error)
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
                if (PacketSetParser.Numbers(new Token(text[(split + 1)..], token.Offset + split + 1), 65535, "a port 1-65535, a range a-b or *", out error) is not { } ports)
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
                    (c.IsV6 ? v6 : v4).Add(PacketSetParser.Range(c));
                }
                continue;
            }
            var bare = item.StartsWith('[') && item.EndsWith(']') ? item[1..^1] : item;
            if (bare.Contains('/'))
            {
                if (Cidr.TryParse(bare, out var cidr) != Cidr.ParseStatus.Ok)
                {
                    error = new PacketSetError(itemOffset, $"expected a CIDR such as 10.0.0.0/16 or 2001:db8::/32, found '{PacketSetParser.Shorten(item)}'");
                    return null;
                }
                (cidr.IsV6 ? v6 : v4).Add(PacketSetParser.Range(cidr));
                continue;
            }
            if (IpAddr.TryParse(bare, out var address))
            {
                (address.IsV6 ? v6 : v4).Add(PacketSetParser.Range(Cidr.Host(address)));
                continue;
            }
            error = new PacketSetError(itemOffset,
                $"expected an address, a CIDR, an interface name, sg:GROUP, subnet:NAME, pl:NAME or *, found '{PacketSetParser.Shorten(item)}' (no interface of this ruleset has that name)");
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
                problem = $"no security group '{PacketSetParser.Shorten(name)}' in this ruleset";
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
                problem = $"no subnet '{PacketSetParser.Shorten(name)}' in this ruleset";
                return true;
            }
            cidrs.AddRange(new[] { subnet.Cidr, subnet.Ipv6Cidr }.OfType<Cidr>());
            return true;
        }
        if (item.StartsWith("pl:", StringComparison.Ordinal))
        {
            var name = item[3..];
            if (ruleset.FindPrefixList(name) is not { } list)
            {
                problem = $"no prefix list '{PacketSetParser.Shorten(name)}' in this ruleset";
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
}
