using System.Runtime.CompilerServices;
using Firewall.Engine.Compilation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;

namespace Firewall.Engine.Evaluation;

/// <summary>
/// The hops rules alone decide: a network ACL's numbered rules (first match, then the * rule), and a
/// security group's rules when no tracking entry speaks for the packet. What the rules said is kept per
/// flow side (<see cref="RuleResultCache"/>), so a flow's later packets skip the matching.
/// </summary>
internal sealed class RuleHops(CompiledRuleset rules, FlowTable flows)
{
    private int _cacheFlow = -1; // the flow whose rule results this packet may use and fill, or -1
    private int _cacheSide;
    private int _noCache;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Direction DirectionOf(HopKind kind) =>
        kind is HopKind.NaclInbound or HopKind.SgInbound ? Direction.Inbound : Direction.Outbound;

    /// <summary>Selects the rule results cached for this packet's flow and sending side (none for a later fragment).</summary>
    public void Prepare(in PacketInfo p, int flowId, bool senderIsA)
    {
        _cacheFlow = -1;
        if (flowId < 0 || p.IsLaterFragment)
        {
            return;
        }
        _cacheSide = senderIsA ? 0 : 1;
        flows[flowId].RuleCache.Prepare(_cacheSide, RuleResultCache.Discriminator(in p));
        _cacheFlow = flowId;
    }

    public void Forget() => _cacheFlow = -1;

    /// <summary>A network ACL hop; with <paramref name="stateful"/>, a deny also gives the packet its reason.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Nacl(in PacketInfo p, ref HopTrace hop, int h, ref PacketResult r, bool stateful)
    {
        var direction = DirectionOf(hop.Kind);
        var acl = rules.Acls[hop.Target];
        hop.Basis = HopBasis.Rule;
        ref var cached = ref CachedHop(h);
        if (cached == 0)
        {
            var ruleId = acl.StarIds[(int)direction];
            var allow = false;
            var list = acl.Lists[CompiledNacl.Slot(direction, p.Src.IsV6)];
            var far = direction == Direction.Inbound ? p.Src : p.Dst;
            var laterFragment = p.IsLaterFragment;
            foreach (ref readonly var rule in list.AsSpan())
            {
                if (rule.Cidr.Contains(far) && RuleMatching.MatchesProtocolFields(in p, rule.Protocol, rule.Ports, rule.Icmp, laterFragment))
                {
                    ruleId = rule.RuleId;
                    allow = rule.Allow;
                    break;
                }
            }
            cached = RuleResultCache.Encode(ruleId, allow, allPeer: false);
        }
        hop.Allowed = RuleResultCache.Allowed(cached);
        hop.RuleId = RuleResultCache.RuleId(cached);
        if (!hop.Allowed && stateful)
        {
            r.Reason = hop.RuleId == acl.StarIds[(int)direction] ? DenyReason.NaclDefault : DenyReason.NaclRule;
        }
        return hop.Allowed;
    }

    /// <summary>A security-group hop by the rules of the packet's direction, no state consulted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool SgByRules(in PacketInfo p, ref HopTrace hop, int h, ref PacketResult r, bool stateful)
    {
        var direction = DirectionOf(hop.Kind);
        var nic = rules.Interfaces[hop.Target];
        var ruleId = SgRuleMatch(in p, h, nic.Rules[CompiledNacl.Slot(direction, p.Src.IsV6)], direction, out _);
        hop.Basis = HopBasis.Rule;
        if (ruleId < 0)
        {
            hop.Allowed = false;
            hop.RuleId = nic.NoMatchIds[(int)direction];
            if (stateful)
            {
                r.Reason = DenyReason.SgNoMatch;
            }
            return false;
        }
        hop.Allowed = true;
        hop.RuleId = ruleId;
        return true;
    }

    /// <summary>
    /// The reference id of the first rule of <paramref name="set"/> that admits the packet, or -1;
    /// <paramref name="allPeer"/> tells whether some admitting rule names 0.0.0.0/0 or ::/0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int SgRuleMatch(in PacketInfo p, int h, CompiledSgRuleSet set, Direction direction, out bool allPeer)
    {
        ref var cached = ref CachedHop(h);
        if (cached != 0)
        {
            allPeer = RuleResultCache.AllPeer(cached);
            return RuleResultCache.Allowed(cached) ? RuleResultCache.RuleId(cached) : -1;
        }
        var match = RuleMatching.FirstSgRule(in p, set, direction, p.IsLaterFragment, wantAllPeer: true, out allPeer);
        var ruleId = match >= 0 ? set.Rules[match].RuleId : -1;
        cached = RuleResultCache.Encode(Math.Max(ruleId, 0), ruleId >= 0, allPeer);
        return ruleId;
    }

    /// <summary>The cached rule result of hop <paramref name="h"/> for this packet (0 = not known), writable.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref int CachedHop(int h)
    {
        if (_cacheFlow < 0)
        {
            _noCache = 0;
            return ref _noCache;
        }
        return ref flows[_cacheFlow].RuleCache.Hops[_cacheSide * 4 + h];
    }
}
