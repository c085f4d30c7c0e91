using Firewall.Analysis.Descriptions;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Explain;

/// <summary>
/// Builds a <see cref="FlowExplanation"/>: evaluates the first request packet and the first reply packet
/// in a fresh evaluator (so tracking behaves as for a new flow), then reads the hop traces back into
/// words. Verdicts are always the engine's; this class only explains them, looking up rule text in the
/// model and, where nothing allowed a packet, ranking that direction's rules by how many fields missed.
/// </summary>
public sealed class FlowExplainer
{
    public const int MaxNearMisses = 3;

    private readonly CompiledRuleset _rules;
    private readonly Dictionary<string, SgRule> _sgRules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NaclRule> _naclRules = new(StringComparer.Ordinal);

    public FlowExplainer(CompiledRuleset rules)
    {
        _rules = rules;
        foreach (var g in rules.Model.SecurityGroups)
        {
            foreach (var r in g.Inbound.Concat(g.Outbound))
            {
                _sgRules[r.Reference] = r;
            }
        }
        foreach (var acl in NetworkAcl.WithDefault(rules.Model.NetworkAcls, rules.Model.Subnets))
        {
            foreach (var r in acl.Inbound.Concat(acl.Outbound))
            {
                _naclRules.TryAdd(r.Reference, r);
            }
        }
    }

    public FlowExplanation Explain(string flowText, in PacketInfo request, in PacketInfo? reply)
    {
        var evaluator = new Evaluator(_rules);
        var rq = default(PacketResult);
        evaluator.Evaluate(in request, ref rq);
        var notes = new List<string>();
        var requestExplained = Packet("request", in request, in rq);
        PacketExplanation? replyExplained = null;
        var rp = default(PacketResult);
        if (reply is { } r && rq.Verdict != Verdict.Deny)
        {
            evaluator.Evaluate(in r, ref rp);
            replyExplained = Packet("reply", in r, in rp);
        }
        else if (reply is not null)
        {
            notes.Add("the request is denied: it never reaches the server, so no reply is sent");
        }
        else
        {
            notes.Add("this exchange has no reply");
        }

        string outcome, stateless;
        if (rq.FlowId >= 0)
        {
            ref var flow = ref evaluator.Flows[rq.FlowId];
            outcome = FlowRecord.Name(flow.Outcome);
            stateless = FlowRecord.Name(flow.StatelessOutcome);
            if (flow.Outcome == FlowOutcome.Allowed && flow.StatelessOutcome != FlowOutcome.Allowed)
            {
                notes.Add("this flow works only because the security groups are stateful: without tracking its reply would be denied");
            }
            if (flow.Has(FlowFlags.Untracked))
            {
                notes.Add("AWS leaves this flow untracked (a 0.0.0.0/0 or ::/0 rule admits it and the other direction is open to all on all ports): each packet is judged by rules");
            }
        }
        else
        {
            outcome = rq.Verdict == Verdict.Allow ? "allowed" : ResultText.Name(rq.Verdict);
            stateless = outcome;
            if (rq.Has(PacketResultFlags.NotFiltered))
            {
                notes.Add($"AWS filters this traffic with neither security groups nor NACLs ({_rules.Rules.Reference(rq.RuleId)})");
            }
            else if (rq.Verdict == Verdict.Skip)
            {
                notes.Add("out of scope: neither endpoint is an interface's address or inside a subnet of this ruleset");
            }
        }
        return new FlowExplanation(flowText, _rules.Model.Name, requestExplained, replyExplained, outcome, stateless, notes);
    }

    private PacketExplanation Packet(string direction, in PacketInfo p, in PacketResult r)
    {
        var hops = new List<HopExplanation>();
        for (var i = 0; i < r.HopCount; i++)
        {
            hops.Add(Hop(in p, r.Hops[i]));
        }
        var stateless = StatelessHops(in p, in r);
        return new PacketExplanation(
            direction,
            PacketText.Describe(in p),
            ResultText.Name(r.Verdict),
            _rules.Rules.Reference(r.RuleId),
            hops,
            Tracking(in p, in r),
            ResultText.Name(r.StatelessVerdict),
            _rules.Rules.Reference(r.StatelessRuleId),
            stateless);
    }

    /// <summary>
    /// The stateless pass keeps no trace in <see cref="PacketResult"/> beyond its verdict and rule, so the
    /// hops are rebuilt from the stateful plan: NACL hops read as they are, SG hops by rules.
    /// </summary>
    private List<HopExplanation> StatelessHops(in PacketInfo p, in PacketResult r)
    {
        var result = new List<HopExplanation>();
        if (r.StatelessVerdict == r.Verdict && r.StatelessRuleId == r.RuleId)
        {
            return result; // the same as the stateful pass
        }
        for (var i = 0; i < r.HopCount; i++)
        {
            var hop = r.Hops[i];
            if (hop.Basis != HopBasis.Rule && hop.Kind is HopKind.SgInbound or HopKind.SgOutbound)
            {
                var direction = hop.Kind == HopKind.SgInbound ? Direction.Inbound : Direction.Outbound;
                var nic = _rules.Interfaces[hop.Target];
                var match = FirstSgMatch(in p, nic.Name, direction);
                var trace = new HopTrace
                {
                    Kind = hop.Kind,
                    Target = hop.Target,
                    Basis = HopBasis.Rule,
                    Allowed = match is not null,
                    RuleId = match is null ? nic.NoMatchIds[(int)direction] : _rules.Rules.TryFind(match.Reference, out var id) ? id : nic.NoMatchIds[(int)direction],
                };
                result.Add(Hop(in p, trace));
                if (match is null)
                {
                    break;
                }
            }
            else
            {
                result.Add(Hop(in p, hop));
                if (!hop.Allowed)
                {
                    break;
                }
            }
        }
        return result;
    }

    private HopExplanation Hop(in PacketInfo p, HopTrace hop)
    {
        var reference = _rules.Rules.Reference(hop.RuleId);
        var isSg = hop.Kind is HopKind.SgInbound or HopKind.SgOutbound;
        var direction = hop.Kind is HopKind.SgInbound or HopKind.NaclInbound ? Direction.Inbound : Direction.Outbound;
        var target = isSg ? _rules.Interfaces[hop.Target].Name : _rules.Acls[hop.Target].Name;
        var basis = hop.Basis switch
        {
            HopBasis.Tracked => "tracked: a live tracking entry admits the packet without consulting rules",
            HopBasis.Related => "related: an ICMP error quoting a tracked flow (--related-icmp)",
            HopBasis.TableFull => "the tracking table is full: new flows are dropped (max_tracked)",
            HopBasis.Midstream => "a TCP packet of no tracked connection under --midstream strict",
            _ => hop.Allowed ? "rule" : "no rule allowed it",
        };
        var closest = new List<NearMiss>();
        if (!hop.Allowed && hop.Basis == HopBasis.Rule)
        {
            closest = isSg ? SgNearMisses(in p, target, direction) : NaclNearMisses(in p, target, direction);
        }
        return new HopExplanation(ResultText.Name(hop.Kind), target, hop.Allowed ? "allow" : "deny", reference, TextOf(reference), basis, closest);
    }

    private string TextOf(string reference)
    {
        if (_sgRules.TryGetValue(reference, out var sg))
        {
            return RuleText.Trace(sg);
        }
        if (_naclRules.TryGetValue(reference, out var nacl))
        {
            return RuleText.Trace(nacl);
        }
        return _rules.Rules.TryFind(reference, out var id) ? RuleText.Trace(_rules.Rules.Kind(id)) : "";
    }

    private SgRule? FirstSgMatch(in PacketInfo p, string interfaceName, Direction direction)
    {
        foreach (var rule in SgRulesOf(interfaceName, direction))
        {
            if (SgMisses(in p, rule, direction).Count == 0)
            {
                return rule;
            }
        }
        return null;
    }

    private IEnumerable<SgRule> SgRulesOf(string interfaceName, Direction direction)
    {
        var nic = _rules.Model.FindInterface(interfaceName);
        return nic is null ? [] : nic.SecurityGroups.Select(_rules.Model.FindGroup).Where(g => g is not null).SelectMany(g => g!.Rules(direction));
    }

    private List<NearMiss> SgNearMisses(in PacketInfo p, string interfaceName, Direction direction)
    {
        var candidates = new List<(int Score, int Order, NearMiss Miss)>();
        var order = 0;
        foreach (var rule in SgRulesOf(interfaceName, direction))
        {
            var reasons = SgMisses(in p, rule, direction);
            candidates.Add((reasons.Count, order++, new NearMiss(rule.Reference, RuleText.Trace(rule), reasons)));
        }
        return candidates.OrderBy(c => c.Score).ThenBy(c => c.Order).Take(MaxNearMisses).Select(c => c.Miss).ToList();
    }

    private List<NearMiss> NaclNearMisses(in PacketInfo p, string aclName, Direction direction)
    {
        var acl = _rules.Model.FindAclOrDefault(aclName);
        if (acl is null)
        {
            return [];
        }
        var candidates = new List<(int Score, int Order, NearMiss Miss)>();
        foreach (var rule in acl.Rules(direction).Where(r => r.Action == NaclAction.Allow))
        {
            var far = direction == Direction.Inbound ? p.Src : p.Dst;
            var reasons = ProtocolMisses(in p, rule.Protocol, rule.MatchedPorts, rule.MatchedIcmp);
            if (!rule.Cidr.Contains(far))
            {
                reasons.Add(rule.Cidr.IsV6 != far.IsV6
                    ? $"{rule.Cidr} is {(rule.Cidr.IsV6 ? "IPv6" : "IPv4")}, the peer {far} is not"
                    : $"{rule.Cidr} does not contain {far}");
            }
            if (reasons.Count == 0)
            {
                reasons.Add("matches, but a lower-numbered deny rule decided first");
            }
            candidates.Add((reasons.Count, rule.Number, new NearMiss(rule.Reference, RuleText.Trace(rule), reasons)));
        }
        return candidates.OrderBy(c => c.Score).ThenBy(c => c.Order).Take(MaxNearMisses).Select(c => c.Miss).ToList();
    }

    /// <summary>Every field of a security-group rule that does not match the packet; empty when it matches.</summary>
    private List<string> SgMisses(in PacketInfo p, SgRule rule, Direction direction)
    {
        var reasons = ProtocolMisses(in p, rule.Protocol, rule.MatchedPorts, rule.MatchedIcmp);
        var far = direction == Direction.Inbound ? p.Src : p.Dst;
        switch (rule.Peer.Kind)
        {
            case PeerKind.Cidr when !rule.Peer.Cidr.Contains(far):
                reasons.Add(rule.Peer.Cidr.IsV6 != far.IsV6
                    ? $"{rule.Peer.Cidr} is {(rule.Peer.Cidr.IsV6 ? "IPv6" : "IPv4")}, the peer {far} is not"
                    : $"{rule.Peer.Cidr} does not contain {far}");
                break;
            case PeerKind.Group when !_rules.Model.Interfaces.Any(i => i.SecurityGroups.Contains(rule.Peer.Name!) && i.Addresses.Contains(far)):
                reasons.Add($"{far} is not an address of an interface in group {rule.Peer.Name}");
                break;
            case PeerKind.PrefixList when !(_rules.Model.FindPrefixList(rule.Peer.Name!)?.Cidrs.Any(c => c.Contains(far)) ?? false):
                reasons.Add($"{far} is in no CIDR of prefix list {rule.Peer.Name}");
                break;
        }
        return reasons;
    }

    private static List<string> ProtocolMisses(in PacketInfo p, RuleProtocol protocol, PortRange ports, IcmpMatch icmp)
    {
        var reasons = new List<string>();
        if (!protocol.Matches(p.Protocol))
        {
            reasons.Add($"protocol {protocol}, the packet is {IpProtocol.Name(p.Protocol)}");
            return reasons;
        }
        if (!protocol.IsAll && IpProtocol.HasPorts(p.Protocol) && !ports.IsAll && !ports.Contains(p.DstPort))
        {
            reasons.Add($"destination port {p.DstPort} is outside {ports}");
        }
        if (!protocol.IsAll && IpProtocol.IsIcmp(p.Protocol) && !icmp.IsAny && !icmp.Matches(p.IcmpType, p.IcmpCode))
        {
            reasons.Add(icmp.Code < 0 || icmp.Type != p.IcmpType
                ? $"ICMP type {p.IcmpType}, the rule names type {icmp.Type}"
                : $"ICMP code {p.IcmpCode}, the rule names code {icmp.Code}");
        }
        return reasons;
    }

    private string Tracking(in PacketInfo p, in PacketResult r)
    {
        if (r.Has(PacketResultFlags.NotFiltered))
        {
            return "not filtered: no hop and no tracking";
        }
        var notes = new List<string>();
        for (var i = 0; i < r.HopCount; i++)
        {
            var hop = r.Hops[i];
            if (hop.Kind is not (HopKind.SgInbound or HopKind.SgOutbound))
            {
                continue;
            }
            var nic = _rules.Interfaces[hop.Target].Name;
            if (hop.Basis == HopBasis.Tracked)
            {
                notes.Add($"{nic}: admitted by the flow's tracking entry (conntrack)");
            }
            else if (!hop.Allowed)
            {
                notes.Add($"{nic}: denied, nothing tracked");
            }
            else if (r.Has(PacketResultFlags.Untracked))
            {
                notes.Add($"{nic}: untracked (AWS: all-traffic CIDR both ways), judged by rules");
            }
            else if (p.Has(PacketFlags.Icmp) && !p.Has(PacketFlags.IcmpEcho))
            {
                notes.Add($"{nic}: ICMP {(p.IsIcmpError ? "errors" : "messages of this type")} open no tracking entry");
            }
            else
            {
                notes.Add($"{nic}: allowed by rule, opens a tracking entry for the reply");
            }
        }
        return notes.Count == 0 ? "no security-group hop: nothing is tracked (NACLs are stateless)" : string.Join("; ", notes);
    }
}
