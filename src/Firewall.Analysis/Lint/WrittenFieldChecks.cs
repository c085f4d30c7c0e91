using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Lint;

/// <summary>Fields AWS accepts and reads otherwise than written: ports and ICMP fields it ignores (EC2 API IpPermission, CreateNetworkAclEntry), CIDRs with host bits set (EC2 API IpRange, CreateNetworkAclEntry, CreateSubnet, CreateVpc).</summary>
internal static class WrittenFieldChecks
{
    /// <summary>
    /// A rule whose written ports or ICMP fields differ from what AWS matches (<c>MatchedPorts</c>,
    /// <c>MatchedIcmp</c>): AWS accepts the rule and ignores them, so they say something the rule does not do.
    /// </summary>
    public static void CheckIgnored(Ruleset ruleset, List<LintFinding> findings)
    {
        foreach (var rule in ruleset.SecurityGroups.SelectMany(g => g.Inbound.Concat(g.Outbound)))
        {
            if (IgnoredFields(rule.Ports, rule.MatchedPorts, rule.Icmp, rule.MatchedIcmp) is { } fields)
            {
                findings.Add(Ignored(rule.Reference, rule.Location, fields,
                    $"a protocol {rule.Protocol} rule matches every port, ICMP type and code (EC2 API IpPermission); remove {fields.Them}, or name the protocol {fields.They} belong{(fields.Plural ? "" : "s")} to"));
            }
        }
        foreach (var rule in ruleset.NetworkAcls.SelectMany(a => a.Inbound.Concat(a.Outbound)))
        {
            if (IgnoredFields(rule.Ports, rule.MatchedPorts, rule.Icmp, rule.MatchedIcmp) is not { } fields)
            {
                continue;
            }
            var why = rule.Protocol.HasIcmpFields
                ? $"an icmpv6 rule with an IPv4 CIDR matches every ICMP type and code (EC2 API CreateNetworkAclEntry); remove {fields.Them}, or use an IPv6 CIDR to match ICMPv6 by type"
                : $"a protocol {rule.Protocol} rule matches every port, ICMP type and code (EC2 API CreateNetworkAclEntry); remove {fields.Them}, or name the protocol {fields.They} belong{(fields.Plural ? "" : "s")} to";
            findings.Add(Ignored(rule.Reference, rule.Location, fields, why));
        }
    }

    private sealed record IgnoredText(string Names, bool Plural)
    {
        public string Them => Plural ? "them" : "it";

        public string They => Plural ? "they" : "it";
    }

    /// <summary>"ports 22", "icmp_type 128", "ports 22 and icmp_type 8, icmp_code 0": the written fields AWS ignores, or null.</summary>
    private static IgnoredText? IgnoredFields(PortRange ports, PortRange matchedPorts, IcmpMatch icmp, IcmpMatch matchedIcmp)
    {
        var parts = new List<string>();
        if (ports != matchedPorts)
        {
            parts.Add($"ports {ports}");
        }
        if (icmp != matchedIcmp)
        {
            var icmpParts = new List<string>();
            if (icmp.Type >= 0) icmpParts.Add($"icmp_type {icmp.Type}");
            if (icmp.Code >= 0) icmpParts.Add($"icmp_code {icmp.Code}");
            parts.Add(string.Join(", ", icmpParts));
        }
        return parts.Count == 0 ? null : new IgnoredText(string.Join(" and ", parts), parts.Count > 1 || parts[0].Contains(','));
    }

    private static LintFinding Ignored(string reference, SourceLocation location, IgnoredText fields, string why) => new(
        LintKinds.IgnoredField, LintSeverity.Warning,
        $"{reference}: {fields.Names} {(fields.Plural ? "have" : "has")} no effect: {why}",
        [reference], location);

    /// <summary>
    /// AWS accepts <c>10.0.1.5/24</c> and keeps <c>10.0.1.0/24</c>: the written text looks like one host but
    /// stands for the whole network, which is often not what was meant.
    /// </summary>
    public static void CheckHostBits(Ruleset ruleset, List<LintFinding> findings)
    {
        foreach (var written in ruleset.HostBitsCidrs)
        {
            var slash = written.Written.IndexOf('/');
            var host = slash < 0 ? written.Written : written.Written[..slash];
            var owner = written.Rule is { } rule ? $"{rule}: " : "";
            findings.Add(new LintFinding(
                LintKinds.CidrHostBits, LintSeverity.Warning,
                $"{owner}{written.Field} {written.Written} has host bits set: AWS reads it as {written.Network} (EC2 API {written.AwsPage}); write {written.Network}, or {host}/{(written.Network.IsV6 ? 128 : 32)} for that one address",
                written.Rule is { } r ? [r] : [], written.Location));
        }
    }
}
