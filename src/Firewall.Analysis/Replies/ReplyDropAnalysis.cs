using Firewall.Analysis.Summaries;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Replies;

/// <summary>
/// SPEC §6 <c>firewall replies</c>: the flows whose requests passed but whose replies a network ACL dropped,
/// grouped by ACL, direction and deciding rule, each with the rule to add. A pure function of the
/// compiled ruleset and the flows of a finished run.
/// </summary>
public static class ReplyDropAnalysis
{
    public const int MaxExamples = 3;

    /// <summary>
    /// Covering CIDRs broader than this (IPv4 /16, IPv6 /48) are "spread": the suggestion names every
    /// address instead, since a /9 that happens to cover three internet clients is not a meaningful peer.
    /// </summary>
    public const int WidestV4Prefix = 16;
    public const int WidestV6Prefix = 48;

    /// <summary>The replies a finished run's network ACLs dropped, among the flows its report lists.</summary>
    public static ReplyDropReport Analyze(Runs.RunReport report) =>
        Analyze(report.Rules, report.Catalog, report.Flows.Records, report.Listing is null ? null : report.ListsFlow);

    /// <param name="listed">The flows a narrowed report lists (<see cref="Runs.RunReport.ListsFlow"/>); null for all.</param>
    public static ReplyDropReport Analyze(CompiledRuleset rules, RuleCatalog catalog, FlowRecords flows, Func<int, bool>? listed = null)
    {
        var byRule = ByDenyingRule(catalog, flows, listed, out var other);
        var taken = new TakenRuleNumbers();
        var paths = ReplyPath.All(rules.Model).ToLookup(p => (p.Rule.Reference, p.Interface.Name));
        var groups = byRule
            .OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Key)
            .Select(kv => Group(rules, catalog, paths, taken, catalog[kv.Key], kv.Value))
            .ToList();
        return new ReplyDropReport(groups, flows.Length, other);
    }

    /// <summary>The flows whose replies a NACL dropped, by the denying reference; <paramref name="other"/> counts those whose replies something else dropped.</summary>
    private static Dictionary<int, List<(int Id, FlowRecord Flow)>> ByDenyingRule(RuleCatalog catalog, FlowRecords flows, Func<int, bool>? listed, out int other)
    {
        var byRule = new Dictionary<int, List<(int Id, FlowRecord Flow)>>();
        other = 0;
        for (var i = 0; i < flows.Length; i++)
        {
            if (listed is not null && !listed(i))
            {
                continue;
            }
            ref readonly var f = ref flows[i];
            if (RunSummary.IsNaclReplyDrop(in f, catalog))
            {
                if (!byRule.TryGetValue(f.DeniedBy, out var list))
                {
                    byRule[f.DeniedBy] = list = [];
                }
                list.Add((i, f));
            }
            else if (f.Outcome == FlowOutcome.ReplyDenied)
            {
                other++;
            }
        }
        return byRule;
    }

    private static ReplyDropGroup Group(CompiledRuleset rules, RuleCatalog catalog, ILookup<(string, string), ReplyPath> paths, TakenRuleNumbers taken,
        RuleEntry entry, List<(int Id, FlowRecord Flow)> members)
    {
        var position = entry.Nacl!;
        var fixes = new List<NaclFix>();
        foreach (var part in members.GroupBy(m => (m.Flow.Key.Protocol, m.Flow.Key.IsV6)).OrderBy(g => g.Key.IsV6).ThenBy(g => g.Key.Protocol))
        {
            var flowsOfPart = part.Select(m => m.Flow).ToList();
            var fix = Fix(rules.Model, position, part.Key.Protocol, part.Key.IsV6, flowsOfPart, taken.For(position, path: false));
            var pathsOfPart = part.Select(m => PathOf(rules, catalog, paths, position, in m.Flow)).OfType<ReplyPath>().Distinct().ToList();
            fixes.Add(fix with { Path = PathFix(rules.Model, position, part.Key.Protocol, part.Key.IsV6, fix.PortsSeen, pathsOfPart, taken.For(position, path: true)) });
        }
        var statelessBy = members
            .Select(m => StatelessReplyCheck.DeniedBy(rules, in m.Flow))
            .OfType<string>()
            .GroupBy(reference => reference)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        return new ReplyDropGroup
        {
            Rule = entry,
            Position = position,
            Flows = members.Count,
            RepliesDropped = members.Sum(m => (long)m.Flow.ReplyDenied),
            RequestsAllowed = members.Sum(m => (long)m.Flow.RequestAllowed),
            Examples = members.Take(MaxExamples).Select(m => Example(m.Id, in m.Flow)).ToList(),
            Fixes = fixes,
            StatefulOnlyFlows = statelessBy.Sum(g => g.Count()),
            StatelessDeniedBy = statelessBy.Select(g => g.Key).ToList(),
        };
    }

    private static ReplyDropExample Example(int id, in FlowRecord f) =>
        new(id, f.FirstFrame, f.Key.Protocol, f.Client, f.ClientPort, f.Server, f.ServerPort, IpProtocol.HasPorts(f.Key.Protocol), f.ReplyDenied);

    private static NaclFix Fix(Ruleset ruleset, NaclPosition position, byte protocol, bool v6, List<FlowRecord> flows, HashSet<int> taken)
    {
        // A reply travels server → client. Leaving the server's subnet (outbound) its far end is the
        // client; entering the client's subnet (inbound) it is the server. Its destination port is the
        // client's port either way, which is what a NACL rule's port range matches.
        var peers = flows
            .Select(f => position.Direction == Direction.Outbound ? f.Client : f.Server)
            .Distinct()
            .Select(a => (a, a))
            .ToList();
        var ports = flows.Select(f => f.ClientPort).Distinct().Select(p => (p, p)).ToList();
        return Fix(ruleset, position, protocol, v6, peers, ports, flows.Count, taken);
    }

    /// <summary>
    /// The narrowest rules for replies to <paramref name="peers"/> (ranges of far-end addresses) on
    /// <paramref name="clientPorts"/> (ranges of the clients' ports), as seen in a capture or as the classes
    /// of an answer hold them.
    /// </summary>
    internal static NaclFix Fix(Ruleset ruleset, NaclPosition position, byte protocol, bool v6,
        List<(IpAddr Lo, IpAddr Hi)> peers, List<(ushort Lo, ushort Hi)> clientPorts, int flows, HashSet<int> taken)
    {
        // Peers that are all in the ruleset's subnets (a group's interfaces, a subnet's hosts) are named by
        // their subnets: a NACL rule names CIDRs only, and the subnet keeps the rule right as addresses change.
        Subnet? SubnetOf(IpAddr a) => ruleset.Subnets.FirstOrDefault(s => (a.IsV6 ? s.Ipv6Cidr : s.Cidr) is { } c && c.Contains(a));
        var subnets = peers.Select(p => SubnetOf(p.Lo) is { } s && SubnetOf(p.Hi) == s ? s : null).ToList();
        var inSubnets = subnets.All(s => s is not null);
        var cidrs = inSubnets
            ? ReplyPath.Minimal(subnets.Select(s => (v6 ? s!.Ipv6Cidr : s!.Cidr)!.Value))
            : [CoveringCidr(peers.SelectMany(p => new[] { p.Lo, p.Hi }).ToList())];
        var numbers = new List<int?>();
        foreach (var _ in cidrs)
        {
            var number = ChooseRuleNumber(position.Number, taken);
            if (number is { } n)
            {
                taken.Add(n);
            }
            numbers.Add(number);
        }
        var addresses = UInt128.Zero;
        foreach (var (lo, hi) in peers)
        {
            // The whole IPv6 space is 2^128 addresses, one more than UInt128 holds: it saturates.
            var n = hi.Value - lo.Value;
            addresses = n == UInt128.MaxValue || UInt128.MaxValue - addresses <= n ? UInt128.MaxValue : addresses + n + 1;
        }
        var fix = new NaclFix
        {
            Acl = position.Acl.Name,
            Direction = position.Direction,
            RuleNumbers = numbers,
            Protocol = protocol,
            IsV6 = v6,
            Peers = cidrs,
            PeerSubnets = inSubnets ? subnets.Select(s => s!.Name).Distinct().Order(StringComparer.Ordinal).ToList() : [],
            PeerCount = addresses,
            Flows = flows,
        };
        if (IpProtocol.HasPorts(protocol))
        {
            var seen = new PortRange(clientPorts.Min(p => p.Lo), clientPorts.Max(p => p.Hi));
            var client = LikelyClients.Classify(seen);
            return fix with
            {
                PortsSeen = seen,
                DistinctPorts = clientPorts.Sum(p => p.Hi - p.Lo + 1),
                Client = client,
                DocumentedPorts = LikelyClients.DocumentedRange(client),
            };
        }
        if (IpProtocol.IsIcmp(protocol))
        {
            // Echo flows are the ICMP flows with replies; their reply is an echo reply (RFC 792 type 0, RFC 4443 type 129).
            var reply = protocol == IpProtocol.Icmp ? IcmpKind.V4EchoReply : IcmpKind.V6EchoReply;
            return fix with { Icmp = new IcmpMatch(reply, -1) };
        }
        return fix;
    }

    /// <summary>
    /// The reply path a flow's replies took at the denying NACL: the interface on this side of it (the
    /// server when the replies leave its subnet, the client when they enter it) and the security-group rule
    /// that admitted the request there, as the evaluation named it. Null when there is none in this ACL.
    /// </summary>
    internal static ReplyPath? PathOf(CompiledRuleset rules, RuleCatalog catalog, ILookup<(string, string), ReplyPath> paths, NaclPosition position, in FlowRecord flow)
    {
        var near = position.Direction == Direction.Outbound ? flow.Server : flow.Client;
        var eni = rules.Model.Interfaces.FirstOrDefault(i => i.Addresses.Contains(near));
        if (eni is null)
        {
            return null;
        }
        for (var i = 0; i < Math.Min((int)flow.RuleCount, FlowRecord.InlineRules); i++)
        {
            var entry = catalog[flow.Rules[i]];
            if (entry.Kind != RuleKind.SgRule)
            {
                continue;
            }
            foreach (var path in paths[(entry.Reference, eni.Name)])
            {
                if (path.Acl.Name == position.Acl.Name && path.ReplyDirection == position.Direction)
                {
                    return path;
                }
            }
        }
        return null;
    }

    /// <summary>The rules that open <paramref name="paths"/> for all their peers and client ports (and the ports seen); null without a path.</summary>
    internal static ReplyPathFix? PathFix(Ruleset ruleset, NaclPosition position, byte protocol, bool v6, PortRange? seen, List<ReplyPath> paths, HashSet<int> taken)
    {
        if (paths.Count == 0)
        {
            return null;
        }
        var peers = ReplyPath.Minimal(paths.SelectMany(p => p.PeerCidrs(ruleset, v6)));
        if (peers.Count == 0)
        {
            return null;
        }
        var clients = paths.SelectMany(p => p.Clients).Distinct().ToList();
        var ports = EphemeralPorts.Covering(clients);
        if (seen is { } s)
        {
            ports = new PortRange(Math.Min(ports.From, s.From), Math.Max(ports.To, s.To));
        }
        var numbers = ReplyPath.RuleNumbers(position.Acl, position.Direction, protocol, peers, ports, peers.Count, taken);
        return new ReplyPathFix(position.Acl.Name, paths.Select(p => p.Rule.Reference).Distinct().ToList(), peers, ports, clients, numbers, protocol, position.Direction);
    }

    /// <summary>
    /// A free number for a rule that must be evaluated before <paramref name="denyingNumber"/>: the highest
    /// free multiple of 10 below it, else of 5, else any free number below it (the closest to the denying
    /// rule, so the new rule precedes as few other rules as possible). The replies met no rule below the
    /// denying one, so any of these lets them through. For <c>*</c> (null) every free number works; the
    /// first multiple of 10 above the highest rule changes no other rule's reach. Null when nothing is free.
    /// </summary>
    public static int? ChooseRuleNumber(int? denyingNumber, IReadOnlySet<int> taken)
    {
        const int Max = 32766;
        if (denyingNumber is not { } limit)
        {
            var highest = taken.Count == 0 ? 0 : taken.Max();
            var above = taken.Count == 0 ? 100 : (highest / 10 + 1) * 10; // AWS consoles start at 100
            if (above <= Max)
            {
                return above;
            }
            limit = Max + 1;
        }
        foreach (var step in new[] { 10, 5, 1 })
        {
            for (var n = (limit - 1) / step * step; n >= 1; n -= step)
            {
                if (!taken.Contains(n))
                {
                    return n;
                }
            }
        }
        return null;
    }

    /// <summary>The smallest CIDR holding every address, or all addresses of the family when that CIDR is wider than /16 (IPv4) or /48 (IPv6).</summary>
    public static Cidr CoveringCidr(IReadOnlyList<IpAddr> addresses)
    {
        var first = addresses[0];
        var bits = first.BitLength;
        var prefix = bits;
        foreach (var a in addresses)
        {
            prefix = Math.Min(prefix, CommonPrefix(first, a));
        }
        var widest = first.IsV6 ? WidestV6Prefix : WidestV4Prefix;
        return prefix < widest ? (first.IsV6 ? Cidr.AllV6 : Cidr.AllV4) : Cidr.Create(first, prefix);
    }

    private static int CommonPrefix(IpAddr a, IpAddr b)
    {
        if (!a.IsV6)
        {
            var x = a.V4 ^ b.V4;
            return x == 0 ? 32 : System.Numerics.BitOperations.LeadingZeroCount(x);
        }
        var hi = a.Hi ^ b.Hi;
        if (hi != 0)
        {
            return System.Numerics.BitOperations.LeadingZeroCount(hi);
        }
        var lo = a.Lo ^ b.Lo;
        return lo == 0 ? 128 : 64 + System.Numerics.BitOperations.LeadingZeroCount(lo);
    }
}
