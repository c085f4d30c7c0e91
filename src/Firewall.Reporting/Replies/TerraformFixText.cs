using System.Globalization;
using System.Text;
using Firewall.Analysis.Replies;
using Firewall.Engine.Model;
using Firewall.Rulesets.Import;

namespace Firewall.Reporting.Replies;

/// <summary>
/// A rule to add, in Terraform for the AWS provider: an <c>aws_network_acl_rule</c> resource (arguments
/// network_acl_id, rule_number, egress, protocol, rule_action, cidr_block or ipv6_cidr_block, from_port and
/// to_port for tcp and udp, icmp_type and icmp_code for icmp and icmpv6), or, for an ACL whose rules are
/// inline, one more <c>ingress</c>/<c>egress</c> block of its <c>aws_network_acl</c> (rule_no, action,
/// protocol, the CIDR, and from_port and to_port, which the block requires: 0 where they mean nothing).
/// The protocol is written as AWS's number, as the provider stores it. Laid out as <c>terraform fmt</c> does.
/// </summary>
public static class TerraformFixText
{
    /// <summary>The <c>aws_network_acl_rule</c> block, named after the ACL, direction and number, so that the same fix always has the same name.</summary>
    public static IReadOnlyList<string> RuleResource(NaclRuleToAdd rule, AclOrigin? origin)
    {
        var (aclId, nameBase) = origin switch
        {
            TerraformAclOrigin tf => (tf.LocalAddress + ".id", LocalName(tf.LocalAddress)),
            AwsAclOrigin aws => (Quote(aws.NetworkAclId), aws.NetworkAclId),
            _ => (Quote($"<id of network ACL {rule.Acl}>"), rule.Acl),
        };
        var direction = rule.Direction == Direction.Outbound ? "egress" : "ingress";
        var attributes = new List<(string, string)>
        {
            ("network_acl_id", aclId),
            ("rule_number", Number(rule)),
            ("egress", rule.Direction == Direction.Outbound ? "true" : "false"),
            ("protocol", Protocol(rule)),
            ("rule_action", Quote("allow")),
            (rule.Peer.IsV6 ? "ipv6_cidr_block" : "cidr_block", Quote(rule.Peer.ToString())),
        };
        attributes.AddRange(Match(rule, required: false));
        var name = ResourceName($"{nameBase}_{direction}_{Number(rule)}");
        return Block($"resource \"aws_network_acl_rule\" \"{name}\"", attributes);
    }

    /// <summary>The <c>ingress</c> or <c>egress</c> block to add to an <c>aws_network_acl</c> with inline rules.</summary>
    public static IReadOnlyList<string> InlineBlock(NaclRuleToAdd rule)
    {
        var attributes = new List<(string, string)>
        {
            ("rule_no", Number(rule)),
            ("action", Quote("allow")),
            ("protocol", Protocol(rule)),
            (rule.Peer.IsV6 ? "ipv6_cidr_block" : "cidr_block", Quote(rule.Peer.ToString())),
        };
        attributes.AddRange(Match(rule, required: true));
        return Block(rule.Direction == Direction.Outbound ? "egress" : "ingress", attributes);
    }

    private static IEnumerable<(string, string)> Match(NaclRuleToAdd rule, bool required)
    {
        var ports = AwsCliFixText.IsTcpOrUdp(rule.Protocol) && rule.Ports is { } p ? p : (Engine.Addressing.PortRange?)null;
        if (ports is { } range)
        {
            yield return ("from_port", range.From.ToString(CultureInfo.InvariantCulture));
            yield return ("to_port", range.To.ToString(CultureInfo.InvariantCulture));
        }
        else if (required)
        {
            yield return ("from_port", "0");
            yield return ("to_port", "0");
        }
        if (AwsCliFixText.IsIcmp(rule.Protocol))
        {
            var icmp = rule.Icmp ?? IcmpMatch.Any;
            yield return ("icmp_type", icmp.Type.ToString(CultureInfo.InvariantCulture));
            yield return ("icmp_code", (icmp.IsAny ? -1 : icmp.Code).ToString(CultureInfo.InvariantCulture));
        }
    }

    private static string Number(NaclRuleToAdd rule) => rule.Number is { } n ? n.ToString(CultureInfo.InvariantCulture) : "N";

    /// <summary><c>"6" # tcp</c>: the number, and the name a person reads.</summary>
    private static string Protocol(NaclRuleToAdd rule)
    {
        var number = AwsCliFixText.ProtocolNumber(rule.Protocol);
        return number == rule.Protocol ? Quote(number) : $"{Quote(number)} # {rule.Protocol}";
    }

    private static List<string> Block(string header, List<(string Name, string Value)> attributes)
    {
        var width = attributes.Max(a => a.Name.Length);
        var lines = new List<string> { header + " {" };
        lines.AddRange(attributes.Select(a => $"  {a.Name.PadRight(width)} = {a.Value}"));
        lines.Add("}");
        return lines;
    }

    /// <summary>A HCL string: the text quoted, with <c>"</c>, <c>\</c> and template openers escaped.</summary>
    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("${", "$${").Replace("%{", "%%{") + "\"";

    /// <summary>The resource's name in its address, with its instance key: <c>aws_network_acl.edge[0]</c> → <c>edge_0</c>.</summary>
    private static string LocalName(string localAddress)
    {
        var dot = localAddress.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? localAddress : localAddress[(dot + 1)..];
    }

    /// <summary>
    /// A Terraform identifier: letters, digits, '_' and '-', starting with a letter or '_' (Terraform
    /// "Configuration Syntax", Identifiers); anything else becomes '_'.
    /// </summary>
    internal static string ResourceName(string text)
    {
        var b = new StringBuilder();
        foreach (var c in text)
        {
            b.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }
        var name = System.Text.RegularExpressions.Regex.Replace(b.ToString(), "_+", "_").Trim('_');
        return name.Length == 0 || !char.IsAsciiLetter(name[0]) ? "nacl_" + name : name;
    }
}
