using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Replies;

/// <summary>A NACL rule as the YAML flow mapping the ruleset format reads, for pasting.</summary>
public static class NaclRuleText
{
    public static string Line(int? number, byte protocol, PortRange? ports, IcmpMatch? icmp, Direction direction, Cidr peer) =>
        Line(number, IpProtocol.Name(protocol), ports, icmp, direction, peer);

    /// <summary>The rule for <paramref name="protocol"/> as the ruleset names it (tcp, 47, all).</summary>
    public static string Line(int? number, string protocol, PortRange? ports, IcmpMatch? icmp, Direction direction, Cidr peer)
    {
        var parts = new List<string>
        {
            $"rule: {(number is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "N")}",
            $"protocol: {protocol}",
        };
        if (ports is { } p)
        {
            parts.Add($"ports: {p}");
        }
        if (icmp is { } i && !i.IsAny)
        {
            parts.Add($"icmp_type: {i.Type}");
        }
        var far = direction == Direction.Inbound ? "source" : "destination";
        // IPv6 text starts with or holds "::", which a YAML plain scalar may not; quote it.
        parts.Add(peer.IsV6 ? $"{far}: \"{peer}\"" : $"{far}: {peer}");
        parts.Add("action: allow");
        return "- { " + string.Join(", ", parts) + " }";
    }
}
