using System.Runtime.CompilerServices;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;
using Firewall.Engine.Tracking;

namespace Firewall.Engine.Evaluation;

/// <summary>
/// A security-group hop, statefully: a live tracking entry admits its connection's packets in either
/// direction without rules; otherwise the rules of the packet's direction judge it, and a packet they
/// allow opens an entry, unless AWS leaves the flow untracked (rules open to all in both directions:
/// "Untracked connections"), or the interface's tracking allowance is used up (new flows are dropped).
/// </summary>
internal sealed class SecurityGroupHops(
    CompiledRuleset rules, EvaluationOptions options, ConnectionTracker tracker, RuleHops ruleHops, Counters counters)
{
    /// <summary>Hop <paramref name="h"/> of <paramref name="r"/> for the packet of flow key <paramref name="flowKey"/>, sent by its A endpoint when <paramref name="senderIsA"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Evaluate(in PacketInfo p, in FlowKey flowKey, bool senderIsA, int h, ref PacketResult r, ref FlowRecord flow)
    {
        ref var hop = ref r.Hops[h];
        var outbound = hop.Kind == HopKind.SgOutbound;
        var kind = TrackKind.Of(in p);
        var met = EntryMatch.None;
        var key = default(FlowKey);
        if (kind != TrackKind.None)
        {
            // The interface's own endpoint is the sender on the way out and the receiver on the way in.
            key = flowKey.ForInterface(localIsA: outbound == senderIsA);
            met = tracker.Meet(hop.Target, in key, in p, kind, outbound, p.TimestampNs, out var slot, out var original);
            if (met == EntryMatch.Untracked)
            {
                // AWS: an untracked flow's packets are judged by the rules of their own direction.
                r.Flags |= PacketResultFlags.Untracked;
                if (!ruleHops.SgByRules(in p, ref hop, h, ref r, stateful: true))
                {
                    return false;
                }
                Refresh(in p, hop.Target, slot, kind, original, ref flow);
                return true;
            }
            if (met == EntryMatch.Admits)
            {
                Admit(ref hop, HopBasis.Tracked, ref flow);
                Refresh(in p, hop.Target, slot, kind, original, ref flow);
                return true;
            }
        }
        else if (options.RelatedIcmp && p.IsIcmpError && p.Has(PacketFlags.InnerPorts)
            && tracker.QuotesTrackedFlow(hop.Target, in p, outbound ? p.Src : p.Dst, p.TimestampNs))
        {
            Admit(ref hop, HopBasis.Related, ref flow);
            return true;
        }
        return ByRules(in p, in key, kind, mayOpen: met == EntryMatch.None, h, ref r, ref flow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Admit(ref HopTrace hop, HopBasis basis, ref FlowRecord flow)
    {
        hop.Allowed = true;
        hop.Basis = basis;
        hop.RuleId = rules.Interfaces[hop.Target].TrackedId;
        flow.Flags |= FlowFlags.UsedTracking;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Refresh(in PacketInfo p, int nic, int slot, TrackKind.Value kind, bool original, ref FlowRecord flow)
    {
        var state = tracker.Refresh(nic, slot, in p, kind, original, p.TimestampNs);
        if (state != TcpState.Ignore)
        {
            flow.TcpState = state;
        }
    }

    /// <summary>No entry admits the packet: the rules of its direction judge it, and when they allow it, it may open an entry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ByRules(in PacketInfo p, in FlowKey key, TrackKind.Value kind, bool mayOpen, int h, ref PacketResult r, ref FlowRecord flow)
    {
        ref var hop = ref r.Hops[h];
        var nic = rules.Interfaces[hop.Target];
        var direction = RuleHops.DirectionOf(hop.Kind);
        var tcpKind = p.Protocol == IpProtocol.Tcp && p.Has(PacketFlags.Tcp) ? TcpStateMachine.Classify(p.TcpFlags) : TcpPacketKind.None;
        if (options.MidstreamStrict && kind == TrackKind.Tcp && tcpKind != TcpPacketKind.Syn)
        {
            return Deny(ref hop, HopBasis.Midstream, nic.MidstreamId, DenyReason.Midstream, ref r);
        }

        var set = nic.Rules[CompiledNacl.Slot(direction, p.Src.IsV6)];
        var reverse = direction == Direction.Outbound ? Direction.Inbound : Direction.Outbound;
        var couldBeUntracked = (kind == TrackKind.Tcp || kind == TrackKind.Udp) && nic.Rules[CompiledNacl.Slot(reverse, p.Src.IsV6)].OpenToAll[p.Protocol];
        var ruleId = ruleHops.SgRuleMatch(in p, h, set, direction, out var allPeer);
        hop.Basis = HopBasis.Rule;
        if (ruleId < 0)
        {
            return Deny(ref hop, HopBasis.Rule, nic.NoMatchIds[(int)direction], DenyReason.SgNoMatch, ref r);
        }

        var untracked = couldBeUntracked && allPeer;
        if (kind != TrackKind.None && mayOpen && ConnectionTracker.Opens(kind, tcpKind, in p)
            && !Open(in p, in key, kind, tcpKind, untracked, h, ref r, ref flow))
        {
            return false;
        }
        if (untracked)
        {
            r.Flags |= PacketResultFlags.Untracked;
        }
        hop.Allowed = true;
        hop.RuleId = ruleId;
        return true;
    }

    /// <summary>Opens the packet's entry at the hop's interface; false when the tracking allowance is used up and the packet is dropped.</summary>
    private bool Open(in PacketInfo p, in FlowKey key, TrackKind.Value kind, TcpPacketKind tcpKind, bool untracked, int h, ref PacketResult r, ref FlowRecord flow)
    {
        ref var hop = ref r.Hops[h];
        var now = p.TimestampNs;
        if (untracked && tracker.IsUntrackedFull(hop.Target, now, options.MaxUntracked))
        {
            // Past the bound that protects this process: judged by its rules packet by packet, as an
            // untracked flow is anyway, but its orientation is not remembered.
            counters.UntrackedNotKept++;
            flow.Flags |= FlowFlags.Untracked;
            return true;
        }
        if (!untracked && tracker.IsFull(hop.Target, now))
        {
            // AWS: once the connection-tracking allowance is used up, packets of new flows are dropped.
            return Deny(ref hop, HopBasis.TableFull, rules.Interfaces[hop.Target].TableFullId, DenyReason.TableFull, ref r);
        }
        var outbound = hop.Kind == HopKind.SgOutbound;
        var state = tracker.Open(hop.Target, in key, in p, kind, tcpKind, outbound, untracked, r.FlowId, now, out var inferred);
        if (inferred)
        {
            r.Flags |= PacketResultFlags.Inferred;
        }
        if (kind == TrackKind.Tcp)
        {
            flow.TcpState = state;
        }
        flow.Flags |= untracked ? FlowFlags.Untracked : FlowFlags.Tracked;
        return true;
    }

    private static bool Deny(ref HopTrace hop, HopBasis basis, int ruleId, DenyReason reason, ref PacketResult r)
    {
        hop.Allowed = false;
        hop.Basis = basis;
        hop.RuleId = ruleId;
        r.Reason = reason;
        return false;
    }
}
