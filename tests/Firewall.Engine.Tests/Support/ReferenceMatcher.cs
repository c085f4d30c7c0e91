using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;

namespace Firewall.Engine.Tests.Support;

/// <summary>
/// The naive reference matcher: a plain linear scan of the validated model, written for clarity and
/// nothing else. The compiled evaluator must agree with it.
/// </summary>
public static class ReferenceMatcher
{
    public static string Nacl(Ruleset model, NetworkAcl acl, Direction direction, PacketInfo p)
    {
        var far = direction == Direction.Inbound ? p.Src : p.Dst;
        foreach (var rule in acl.Rules(direction).Where(r => r.Cidr.IsV6 == p.Src.IsV6).OrderBy(r => r.Number))
        {
            if (!rule.Cidr.Contains(far)) continue;
            if (!rule.Protocol.IsAll && rule.Protocol.Value != p.Protocol) continue;
            var proto = rule.Protocol.Value;
            if ((proto == IpProtocol.Tcp || proto == IpProtocol.Udp) && !rule.Ports.Contains(p.DstPort)) continue;
            var icmpV6WithV4Cidr = proto == IpProtocol.IcmpV6 && !rule.Cidr.IsV6;
            if ((proto == IpProtocol.Icmp || proto == IpProtocol.IcmpV6) && !icmpV6WithV4Cidr && !rule.Icmp.Matches(p.IcmpType, p.IcmpCode)) continue;
            return rule.Reference;
        }
        return NetworkAcl.StarReference(acl.Name, direction);
    }

    /// <summary>The first allowing rule's reference of the interface's groups, or null when none allows.</summary>
    public static string? SecurityGroups(Ruleset model, NetworkInterface nic, Direction direction, PacketInfo p)
    {
        var far = direction == Direction.Inbound ? p.Src : p.Dst;
        foreach (var groupName in nic.SecurityGroups)
        {
            var group = model.FindGroup(groupName)!;
            foreach (var rule in group.Rules(direction))
            {
                var peers = rule.Peer.Kind switch
                {
                    PeerKind.Cidr => new List<Cidr> { rule.Peer.Cidr },
                    PeerKind.PrefixList => model.PrefixLists.First(l => l.Name == rule.Peer.Name).Cidrs.ToList(),
                    _ => model.Interfaces.Where(i => i.SecurityGroups.Contains(rule.Peer.Name!)).SelectMany(i => i.Addresses).Select(Cidr.Host).ToList(),
                };
                if (!peers.Any(c => c.Contains(far))) continue;
                if (!rule.Protocol.IsAll && rule.Protocol.Value != p.Protocol) continue;
                var proto = rule.Protocol.Value;
                if ((proto == IpProtocol.Tcp || proto == IpProtocol.Udp) && !rule.Ports.Contains(p.DstPort)) continue;
                if ((proto == IpProtocol.Icmp || proto == IpProtocol.IcmpV6) && !rule.Icmp.Matches(p.IcmpType, p.IcmpCode)) continue;
                return rule.Reference;
            }
        }
        return null;
    }
}
