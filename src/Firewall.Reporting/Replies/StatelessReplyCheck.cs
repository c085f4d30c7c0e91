using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;

namespace Firewall.Reporting.Replies;

/// <summary>
/// Would a flow's reply pass the security groups on its path if they kept no state? The engine's own
/// stateless comparison stops at the first hop that denies, and for a reply dropped by a NACL that hop
/// often comes before any security group (a reply entering a subnet meets nacl-inbound before
/// sg-inbound), so it cannot tell. This asks the groups directly, with the rule matching of SPEC §2
/// (protocol, destination port, ICMP type, far-end CIDR) on a representative reply: server → client to
/// the client's port, or an echo reply.
/// </summary>
public static class StatelessReplyCheck
{
    /// <summary>The reference of the first security-group hop that would deny the reply by rules (<c>sg:IF:DIR:none</c>), or null.</summary>
    public static string? DeniedBy(CompiledRuleset rules, in FlowRecord flow)
    {
        var protocol = flow.Key.Protocol;
        var server = flow.Server;
        var client = flow.Client;
        var hasPorts = IpProtocol.HasPorts(protocol);
        var icmpReply = protocol == IpProtocol.Icmp ? IcmpKind.V4EchoReply : IcmpKind.V6EchoReply;

        // Path order (SPEC §2): sg-outbound of the sender's interface, then sg-inbound of the receiver's.
        var from = rules.Addresses.InterfaceOf(server);
        if (from >= 0 && rules.Interfaces[from].HasGroups
            && !AnyRuleMatches(rules.Interfaces[from].Rules[CompiledNacl.Slot(Direction.Outbound, server.IsV6)], protocol, hasPorts, flow.ClientPort, icmpReply, client))
        {
            return rules.Rules.Reference(rules.Interfaces[from].NoMatchIds[(int)Direction.Outbound]);
        }
        var to = rules.Addresses.InterfaceOf(client);
        if (to >= 0 && rules.Interfaces[to].HasGroups
            && !AnyRuleMatches(rules.Interfaces[to].Rules[CompiledNacl.Slot(Direction.Inbound, client.IsV6)], protocol, hasPorts, flow.ClientPort, icmpReply, server))
        {
            return rules.Rules.Reference(rules.Interfaces[to].NoMatchIds[(int)Direction.Inbound]);
        }
        return null;
    }

    private static bool AnyRuleMatches(CompiledSgRuleSet set, byte protocol, bool hasPorts, ushort port, byte icmpType, IpAddr far)
    {
        foreach (var index in set.ByProtocol[protocol])
        {
            var rule = set.Rules[index];
            if (hasPorts && !rule.Ports.Contains(port))
            {
                continue;
            }
            if (IpProtocol.IsIcmp(protocol) && !rule.Icmp.Matches(icmpType, 0))
            {
                continue;
            }
            for (var p = rule.PeerStart; p < rule.PeerStart + rule.PeerCount; p++)
            {
                if (set.Peers[p].Contains(far))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
