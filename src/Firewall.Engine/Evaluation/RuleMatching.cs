using System.Runtime.CompilerServices;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;

namespace Firewall.Engine.Evaluation;

/// <summary>
/// Matching a packet against compiled rules, without state: the one place that decides whether a rule's
/// protocol, port, ICMP and far-end fields match. The evaluator and the reports that ask "what would the
/// rules alone say" both use it.
/// </summary>
public static class RuleMatching
{
    /// <summary>
    /// Protocol, destination port and ICMP type/code of a rule. A later fragment carries no transport
    /// header, so it matches only rules that name no ports and no ICMP type (docs/semantics.md, "Fragments").
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool MatchesProtocolFields(in PacketInfo p, short protocol, PortRange ports, IcmpMatch icmp, bool laterFragment)
    {
        if (protocol >= 0 && protocol != p.Protocol)
        {
            return false;
        }
        if (laterFragment)
        {
            return ports.IsAll && icmp.IsAny;
        }
        if (!ports.IsAll && (!p.Has(PacketFlags.Ports) || !ports.Contains(p.DstPort)))
        {
            return false;
        }
        if (!icmp.IsAny && (!p.Has(PacketFlags.Icmp) || !icmp.Matches(p.IcmpType, p.IcmpCode)))
        {
            return false;
        }
        return true;
    }

    /// <summary>
    /// The first rule of the union that matches (groups in interface order, rules in file order), or -1.
    /// <paramref name="matchesAllPeer"/> tells whether some matching rule names 0.0.0.0/0 or ::/0.
    /// </summary>
    public static int FirstSgRule(in PacketInfo p, CompiledSgRuleSet set, Direction direction, bool laterFragment, bool wantAllPeer, out bool matchesAllPeer)
    {
        var far = direction == Direction.Inbound ? p.Src : p.Dst;
        ReadOnlySpan<int> bucket = set.ByProtocol[p.Protocol];
        if (set.PortIndexes[p.Protocol] is { } ports && !laterFragment && p.Has(PacketFlags.Ports))
        {
            bucket = ports.Candidates(p.DstPort); // the rules whose ports can contain this one, still in order
        }
        var first = -1;
        matchesAllPeer = false;
        foreach (var index in bucket)
        {
            ref readonly var rule = ref set.Rules[index];
            if (first >= 0 && !rule.PeerIsAll)
            {
                continue;
            }
            if (!MatchesProtocolFields(in p, rule.Protocol, rule.Ports, rule.Icmp, laterFragment))
            {
                continue;
            }
            var peers = set.Peers.AsSpan(rule.PeerStart, rule.PeerCount);
            var hit = false;
            foreach (ref readonly var cidr in peers)
            {
                if (cidr.Contains(far))
                {
                    hit = true;
                    break;
                }
            }
            if (!hit)
            {
                continue;
            }
            if (first < 0)
            {
                first = index;
            }
            if (rule.PeerIsAll)
            {
                matchesAllPeer = true;
                break;
            }
            if (!wantAllPeer)
            {
                break;
            }
        }
        return first;
    }

    /// <summary>Whether any rule of <paramref name="set"/> admits <paramref name="p"/> by rules alone.</summary>
    public static bool SgRulesAllow(in PacketInfo p, CompiledSgRuleSet set, Direction direction) =>
        FirstSgRule(in p, set, direction, p.IsLaterFragment, wantAllPeer: false, out _) >= 0;
}
