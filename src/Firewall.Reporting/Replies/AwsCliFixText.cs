using System.Globalization;
using Firewall.Analysis.Replies;
using Firewall.Engine.Model;

namespace Firewall.Reporting.Replies;

/// <summary>
/// A rule to add as one <c>aws ec2 create-network-acl-entry</c> command (AWS CLI Command Reference,
/// "create-network-acl-entry"; API CreateNetworkAclEntry). <c>--protocol</c> takes the protocol number
/// ("6" tcp, "17" udp, "1" icmp, "58" icmpv6, "-1" all); <c>--port-range From=…,To=…</c> is given for tcp
/// and udp only, <c>--icmp-type-code Type=…,Code=…</c> for icmp and icmpv6 only, since AWS ignores both for
/// other protocols. Every word is shell-safe as printed: ids, numbers and CIDRs need no quoting, and a
/// placeholder is single-quoted.
/// </summary>
public static class AwsCliFixText
{
    /// <param name="aclId">The ACL's <c>acl-…</c> id, or null when the ruleset does not say it.</param>
    public static string Command(NaclRuleToAdd rule, string? aclId)
    {
        var words = new List<string>
        {
            "aws", "ec2", "create-network-acl-entry",
            "--network-acl-id", aclId ?? Placeholder(rule.Acl),
            rule.Direction == Direction.Outbound ? "--egress" : "--ingress",
            "--rule-number", rule.Number is { } n ? n.ToString(CultureInfo.InvariantCulture) : "N",
            "--protocol", ProtocolNumber(rule.Protocol),
        };
        if (rule.Ports is { } p && IsTcpOrUdp(rule.Protocol))
        {
            words.Add("--port-range");
            words.Add(FormattableString.Invariant($"From={p.From},To={p.To}"));
        }
        if (IsIcmp(rule.Protocol))
        {
            var icmp = rule.Icmp ?? IcmpMatch.Any;
            words.Add("--icmp-type-code");
            words.Add(FormattableString.Invariant($"Type={icmp.Type},Code={(icmp.IsAny ? -1 : icmp.Code)}"));
        }
        words.Add(rule.Peer.IsV6 ? "--ipv6-cidr-block" : "--cidr-block");
        words.Add(rule.Peer.ToString());
        words.Add("--rule-action");
        words.Add("allow");
        return string.Join(' ', words);
    }

    /// <summary>What stands for an ACL id the ruleset does not say: quoted, so that the shell passes it as one word, and not an id AWS would accept.</summary>
    public static string Placeholder(string acl) => $"'<id of network ACL {acl}>'";

    /// <summary>The protocol as AWS's NACL entries write it: a number in a string, -1 for all.</summary>
    public static string ProtocolNumber(string protocol) =>
        RuleProtocol.TryParse(protocol, out var p) ? p.Value.ToString(CultureInfo.InvariantCulture) : protocol;

    internal static bool IsTcpOrUdp(string protocol) => RuleProtocol.TryParse(protocol, out var p) && p.HasPorts;

    internal static bool IsIcmp(string protocol) => RuleProtocol.TryParse(protocol, out var p) && p.HasIcmpFields;
}
