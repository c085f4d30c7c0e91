using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Replies;

/// <summary>
/// Would a flow's reply pass the security groups on its path if they kept no state? The engine's own
/// stateless comparison stops at the first hop that denies, and for a reply dropped by a NACL that hop
/// often comes before any security group (a reply entering a subnet meets nacl-inbound before
/// sg-inbound), so it cannot tell. This asks the groups directly, through the engine's rule matching, with
/// a representative reply: server → client to the client's port, or an echo reply.
/// </summary>
public static class StatelessReplyCheck
{
    /// <summary>The reference of the first security-group hop that would deny the reply by rules (<c>sg:IF:DIR:none</c>), or null.</summary>
    public static string? DeniedBy(CompiledRuleset rules, in FlowRecord flow)
    {
        var reply = RepresentativeReply(in flow);

        // Path order (SPEC §2): sg-outbound of the sender's interface, then sg-inbound of the receiver's.
        var from = rules.Addresses.InterfaceOf(reply.Src);
        if (from >= 0 && rules.Interfaces[from].HasGroups
            && !RuleMatching.SgRulesAllow(in reply, rules.Interfaces[from].Rules[CompiledNacl.Slot(Direction.Outbound, reply.Src.IsV6)], Direction.Outbound))
        {
            return rules.Rules.Reference(rules.Interfaces[from].NoMatchIds[(int)Direction.Outbound]);
        }
        var to = rules.Addresses.InterfaceOf(reply.Dst);
        if (to >= 0 && rules.Interfaces[to].HasGroups
            && !RuleMatching.SgRulesAllow(in reply, rules.Interfaces[to].Rules[CompiledNacl.Slot(Direction.Inbound, reply.Dst.IsV6)], Direction.Inbound))
        {
            return rules.Rules.Reference(rules.Interfaces[to].NoMatchIds[(int)Direction.Inbound]);
        }
        return null;
    }

    private static PacketInfo RepresentativeReply(in FlowRecord flow)
    {
        var protocol = flow.Key.Protocol;
        var reply = new PacketInfo
        {
            IpVersion = (byte)(flow.Server.IsV6 ? 6 : 4),
            Src = flow.Server,
            Dst = flow.Client,
            Protocol = protocol,
        };
        if (IpProtocol.HasPorts(protocol))
        {
            reply.Flags |= PacketFlags.Ports;
            reply.SrcPort = flow.ServerPort;
            reply.DstPort = flow.ClientPort;
        }
        else if (IpProtocol.IsIcmp(protocol))
        {
            reply.Flags |= PacketFlags.Icmp | PacketFlags.IcmpEcho;
            reply.IcmpType = protocol == IpProtocol.Icmp ? IcmpKind.V4EchoReply : IcmpKind.V6EchoReply;
            reply.IcmpId = flow.ClientPort;
        }
        return reply;
    }
}
