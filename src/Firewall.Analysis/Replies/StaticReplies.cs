using Firewall.Analysis.Reachability;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Replies;

/// <summary>The classes of packets whose requests pass and whose replies one NACL rule (or <c>*</c>) drops, with the rules to add.</summary>
public sealed record StaticReplyGroup(RuleEntry Rule, NaclPosition Position, IReadOnlyList<QueryClass> Classes, IReadOnlyList<NaclFix> Fixes);

/// <summary>
/// Every reply gap of a set of packets, without traffic: the answer it comes from and its groups, most
/// classes first. <see cref="ClientPorts"/> is the range the clients' ports were narrowed to when the set
/// did not name source ports, else null.
/// </summary>
public sealed record StaticReplyReport(QueryAnswer Answer, IReadOnlyList<StaticReplyGroup> Groups, PortRange? ClientPorts)
{
    /// <summary>The classes whose requests pass and whose replies a NACL drops.</summary>
    public int NaclReplyDenied => Groups.Sum(g => g.Classes.Count);

    /// <summary>The classes whose requests pass and whose replies something else (a security group) drops.</summary>
    public int OtherReplyDenied => Answer.Classes.Count(c => c.Outcome.Outcome == "reply-denied" && c.Outcome.RequestRule is not null) - NaclReplyDenied;
}

/// <summary>
/// <c>firewall replies --ruleset R</c> without a capture: the classes of all packets (or of a set) whose
/// requests pass and whose replies a network ACL drops, grouped by the rule that drops them, each with
/// the fixes a capture's reply drops get: the rules that open the reply path of the group rules that
/// admitted the requests (what lint checks), and the narrowest rules, for the clients' ports and the
/// peers of the classes instead of those seen.
/// </summary>
public static class StaticReplies
{
    public static StaticReplyReport Analyze(CompiledRuleset rules, PacketSet set)
    {
        // A set that leaves the source port open asks about the ports clients pick: the ephemeral ranges
        // AWS documents (1024-65535 covers them all). Ports below 1024 are no client's choice, and a gap
        // there would fill the answer with fixes nobody needs; a set that names source ports gets them.
        PortRange? clientPorts = null;
        if (!set.SourcePortsGiven)
        {
            var range = EphemeralPorts.Covering(EphemeralPorts.OfAnyClient);
            clientPorts = range;
            set = set with { Parts = [.. set.Parts.Select(p => p with { SourcePorts = IntervalSet.Of(range.From, range.To) })] };
        }
        var catalog = RuleCatalog.For(rules);
        var answer = Answers.Query(rules, set);
        var exchange = new Exchange(rules);
        var paths = ReplyPath.All(rules.Model).ToLookup(p => (p.Rule.Reference, p.Interface.Name));
        var taken = new TakenRuleNumbers();

        var drops = answer.Classes
            // A class whose request never passed (an echo reply with no request, which check takes for a reply) has no request to answer.
            .Where(c => c.Outcome.Outcome == "reply-denied" && c.Outcome.RequestRule is not null && c.Outcome.ReplyRule is { } r && rules.Rules.TryFind(r, out var id) && catalog[id].Nacl is not null)
            .GroupBy(c => c.Outcome.ReplyRule!)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal);
        var groups = new List<StaticReplyGroup>();
        foreach (var group in drops)
        {
            rules.Rules.TryFind(group.Key, out var ruleId);
            var entry = catalog[ruleId];
            var position = entry.Nacl!;
            groups.Add(new StaticReplyGroup(entry, position, [.. group], Fixes(rules, catalog, exchange, paths, taken, position, group)));
        }
        return new StaticReplyReport(answer, groups, clientPorts);
    }

    /// <summary>A group's fixes: one per protocol and family, each with the rules that open the reply path of the group rules that admitted its classes.</summary>
    private static List<NaclFix> Fixes(CompiledRuleset rules, RuleCatalog catalog, Exchange exchange, ILookup<(string, string), ReplyPath> paths,
        TakenRuleNumbers taken, NaclPosition position, IEnumerable<QueryClass> group)
    {
        var fixes = new List<NaclFix>();
        // One fix per protocol and family; a class of several protocols (numbers without names: the partition
        // keeps tcp, udp, icmp and icmpv6 apart) needs a rule for all, which has no ports.
        var parts = group
            .GroupBy(c => c.Packets.Sets[Dim.Protocol].Count > 1
                ? (Protocol: (byte)0, Several: true, c.Packets.IsV6)
                : (Protocol: c.Packets.Example.Protocol, Several: false, c.Packets.IsV6))
            .Select(g => (g.Key, Classes: g.ToList()));
        foreach (var (key, part) in parts.OrderBy(p => p.Key.IsV6).ThenBy(p => p.Key.Several).ThenBy(p => p.Key.Protocol))
        {
            // Leaving the server's subnet, the replies go to the clients (the requests' sources); entering
            // the client's subnet, they come from the servers (the requests' destinations).
            var far = position.Direction == Direction.Outbound ? Dim.Source : Dim.Destination;
            var peers = IntervalSet.Of(part.SelectMany(c => c.Packets.Sets[far].Intervals)).Intervals
                .Select(i => (IpAddr.FromValue(i.Lo, key.IsV6), IpAddr.FromValue(i.Hi, key.IsV6))).ToList();
            var ports = IntervalSet.Of(part.SelectMany(c => c.Packets.Sets.TryGetValue(Dim.SourcePort, out var p) ? p.Intervals : []))
                .Intervals.Select(i => ((ushort)i.Lo, (ushort)i.Hi)).ToList();
            var protocol = key.Several ? part[0].Packets.Example.Protocol : key.Protocol;
            var fix = ReplyDropAnalysis.Fix(rules.Model, position, protocol, key.IsV6, peers, ports, part.Count, taken.For(position, path: false)) with { AnyProtocol = key.Several };
            if (key.Several)
            {
                fixes.Add(fix);
                continue;
            }
            // The group rule that admitted each class's request at the near interface, as its exchange met it.
            var found = new List<ReplyPath>();
            foreach (var c in part)
            {
                exchange.Run(c.Packets.Example);
                if (exchange.Flow is { } flow && ReplyDropAnalysis.PathOf(rules, catalog, paths, position, in flow) is { } path && !found.Contains(path))
                {
                    found.Add(path);
                }
            }
            fixes.Add(fix with { Path = ReplyDropAnalysis.PathFix(rules.Model, position, protocol, key.IsV6, fix.PortsSeen, found, taken.For(position, path: true)) });
        }
        return fixes;
    }
}
