using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Replies;

/// <summary>
/// One allow rule a fix adds to a network ACL, before it is written in any syntax (the ruleset's YAML, an
/// AWS CLI command, Terraform). <see cref="Number"/> is null when no number before the denying rule is free.
/// </summary>
/// <param name="Protocol">As the ruleset names it: tcp, udp, icmp, icmpv6, a number (47), or all.</param>
/// <param name="Peer">The far end: the source of an inbound rule, the destination of an outbound one.</param>
public readonly record struct NaclRuleToAdd(string Acl, Direction Direction, int? Number, string Protocol, PortRange? Ports, IcmpMatch? Icmp, Cidr Peer);

/// <summary>A NACL rule as the YAML flow mapping the ruleset format reads, for pasting.</summary>
public static class NaclRuleText
{
    public static string Line(NaclRuleToAdd rule)
    {
        var parts = new List<string>
        {
            $"rule: {(rule.Number is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "N")}",
            $"protocol: {rule.Protocol}",
        };
        if (rule.Ports is { } p)
        {
            parts.Add($"ports: {p}");
        }
        if (rule.Icmp is { } i && !i.IsAny)
        {
            parts.Add($"icmp_type: {i.Type}");
        }
        var far = rule.Direction == Direction.Inbound ? "source" : "destination";
        // IPv6 text starts with or holds "::", which a YAML plain scalar may not; quote it.
        parts.Add(rule.Peer.IsV6 ? $"{far}: \"{rule.Peer}\"" : $"{far}: {rule.Peer}");
        parts.Add("action: allow");
        return "- { " + string.Join(", ", parts) + " }";
    }
}
