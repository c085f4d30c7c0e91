using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Lint;

/// <summary>Rules open to one address family but not the other, and icmp rules meant for ICMPv6 (AWS "Security group rules reference": ping6 needs icmpv6).</summary>
internal static class AddressFamilyChecks
{
    public static void CheckAsymmetry(LintContext context, List<LintFinding> findings)
    {
        var ruleset = context.Ruleset;
        foreach (var group in ruleset.SecurityGroups)
        {
            var dualStack = ruleset.Interfaces.Any(i => i.SecurityGroups.Contains(group.Name) && i.Addresses.Any(a => a.IsV6))
                || group.Inbound.Concat(group.Outbound).Any(r => r.Peer.Kind == PeerKind.Cidr && r.Peer.Cidr.IsV6);
            if (!dualStack)
            {
                continue;
            }
            foreach (var direction in new[] { Direction.Inbound, Direction.Outbound })
            {
                var world = group.Rules(direction).Where(r => r.Peer.Kind == PeerKind.Cidr && r.Peer.Cidr.IsAll && !IpProtocol.IsIcmp((byte)Math.Max((short)0, r.Protocol.Value))).ToList();
                Compare(world.Select(r => (r.Reference, r.Location, r.Protocol, r.MatchedPorts, r.MatchedIcmp, r.Peer.Cidr.IsV6)).ToList(), $"security group '{group.Name}' ({DirectionText.Name(direction)})", findings);
            }
        }
        foreach (var acl in ruleset.NetworkAcls)
        {
            var dualStack = ruleset.Subnets.Any(s => s.NetworkAcl == acl.Name && s.Ipv6Cidr is not null)
                || acl.Inbound.Concat(acl.Outbound).Any(r => r.Cidr.IsV6);
            if (!dualStack)
            {
                continue;
            }
            foreach (var direction in new[] { Direction.Inbound, Direction.Outbound })
            {
                var world = acl.Rules(direction).Where(r => r.Action == NaclAction.Allow && r.Cidr.IsAll && !IpProtocol.IsIcmp((byte)Math.Max((short)0, r.Protocol.Value))).ToList();
                Compare(world.Select(r => (r.Reference, r.Location, r.Protocol, r.MatchedPorts, r.MatchedIcmp, r.Cidr.IsV6)).ToList(), $"network ACL '{acl.Name}' ({DirectionText.Name(direction)})", findings);
            }
        }
    }

    /// <summary>Each rule open to a whole family whose protocol and ports the other family's whole-family rules do not cover.</summary>
    private static void Compare(List<(string Reference, SourceLocation Location, RuleProtocol Protocol, PortRange Ports, IcmpMatch Icmp, bool V6)> world, string where, List<LintFinding> findings)
    {
        foreach (var rule in world)
        {
            // Family-free boxes: the address dimension is the same for all.
            var set = new BoxSet([LintContext.Match(rule.Protocol, rule.Ports, rule.Icmp, 0, 0, 0)]);
            var other = world.Where(o => o.V6 != rule.V6).Select(o => LintContext.Match(o.Protocol, o.Ports, o.Icmp, 0, 0, 0));
            if (!set.Subtract(other) || set.IsEmpty)
            {
                continue;
            }
            var (open, closed) = rule.V6 ? ("::/0", "0.0.0.0/0") : ("0.0.0.0/0", "::/0");
            var ports = rule.Protocol.Value is IpProtocol.Tcp or IpProtocol.Udp ? $" {rule.Ports}" : "";
            findings.Add(new LintFinding(
                LintKinds.FamilyAsymmetry, LintSeverity.Warning,
                $"{where}: {rule.Protocol}{ports} is open to {open} ({rule.Reference}) but not to {closed}",
                [rule.Reference], rule.Location));
        }
    }

    public static void CheckIcmpForIcmpv6(LintContext context, List<LintFinding> findings)
    {
        var ruleset = context.Ruleset;
        foreach (var rule in ruleset.SecurityGroups.SelectMany(g => g.Inbound.Concat(g.Outbound)))
        {
            var v6 = rule.Peer.Kind == PeerKind.Cidr ? rule.Peer.Cidr.IsV6
                : rule.Peer.Kind == PeerKind.PrefixList && (ruleset.FindPrefixList(rule.Peer.Name!)?.Cidrs.Any(c => c.IsV6) ?? false);
            if (rule.Protocol.Value == IpProtocol.Icmp && v6)
            {
                findings.Add(Icmp(rule.Reference, rule.Location, rule.Peer.ToString()));
            }
        }
        foreach (var rule in ruleset.NetworkAcls.SelectMany(a => a.Inbound.Concat(a.Outbound)))
        {
            if (rule.Protocol.Value == IpProtocol.Icmp && rule.Cidr.IsV6)
            {
                findings.Add(Icmp(rule.Reference, rule.Location, rule.Cidr.ToString()));
            }
        }
    }

    private static LintFinding Icmp(string reference, SourceLocation location, string peer) => new(
        LintKinds.IcmpForIcmpv6, LintSeverity.Warning,
        $"{reference} is an icmp (IPv4, protocol 1) rule with the IPv6 peer {peer}: it never matches ICMPv6 (ping6, packet too big); use protocol icmpv6",
        [reference], location);
}
