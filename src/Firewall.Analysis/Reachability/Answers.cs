using System.Globalization;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Reachability;

/// <summary>What every packet of a class gets from <c>check</c>, with rule references as text.</summary>
/// <param name="RequestRule">Null only when check takes the class's one message for a reply (an echo reply with no request).</param>
/// <param name="ReplyRule">Null when no reply is sent (the request was denied, or the message has no reply).</param>
public sealed record ClassOutcome(string Outcome, string StatelessOutcome, string? RequestRule, string? ReplyRule);

/// <summary>
/// The packets of one class: a product of sets, one per header field of its protocol, written as the answer
/// shows them: protocol name or numbers, CIDR lists, port and ICMP ranges (null where the protocol has no
/// such field), and one example request as a flow line.
/// </summary>
public sealed class AnswerClass
{
    internal AnswerClass(bool v6, IReadOnlyDictionary<Dim, IntervalSet> sets, RequestHeader example)
    {
        IsV6 = v6;
        Sets = sets;
        Example = example;
        var protocols = sets[Dim.Protocol];
        Protocol = protocols.Intervals is [{ } single] && single.Lo == single.Hi ? IpProtocol.Name((byte)single.Lo) : Ranges(protocols);
        Sources = Cidrs(sets[Dim.Source], v6);
        Destinations = Cidrs(sets[Dim.Destination], v6);
        SourcePorts = sets.TryGetValue(Dim.SourcePort, out var sp) ? Ranges(sp).Split(',') : null;
        Ports = sets.TryGetValue(Dim.DestinationPort, out var dp) ? Ranges(dp).Split(',') : null;
        IcmpType = sets.TryGetValue(Dim.IcmpType, out var t) && !IsAllBytes(t) ? Ranges(t) : null;
        IcmpCode = sets.TryGetValue(Dim.IcmpCode, out var c) && !IsAllBytes(c) ? Ranges(c) : null;
    }

    public bool IsV6 { get; }

    /// <summary>The class's sets, for testing whether a request lies in it.</summary>
    public IReadOnlyDictionary<Dim, IntervalSet> Sets { get; }

    /// <summary>tcp, udp, icmp, icmpv6, a protocol number, or numbers and ranges ("2-5,7-16") for protocols that behave alike.</summary>
    public string Protocol { get; }

    public IReadOnlyList<string> Sources { get; }

    public IReadOnlyList<string>? SourcePorts { get; }

    public IReadOnlyList<string> Destinations { get; }

    public IReadOnlyList<string>? Ports { get; }

    /// <summary>One type ("8"), types as ranges ("0-7,9-255"), or null for every type; null when not ICMP.</summary>
    public string? IcmpType { get; }

    public string? IcmpCode { get; }

    public RequestHeader Example { get; }

    public bool Contains(in RequestHeader r)
    {
        if (r.Source.IsV6 != IsV6 || !Sets[Dim.Protocol].Contains(r.Protocol)
            || !Sets[Dim.Source].Contains(r.Source.Value) || !Sets[Dim.Destination].Contains(r.Destination.Value))
        {
            return false;
        }
        return (!Sets.TryGetValue(Dim.SourcePort, out var sp) || sp.Contains(r.SourcePort))
            && (!Sets.TryGetValue(Dim.DestinationPort, out var dp) || dp.Contains(r.DestinationPort))
            && (!Sets.TryGetValue(Dim.IcmpType, out var t) || t.Contains(r.IcmpType))
            && (!Sets.TryGetValue(Dim.IcmpCode, out var c) || c.Contains(r.IcmpCode));
    }

    private static bool IsAllBytes(IntervalSet s) => s.Intervals is [{ Lo: var lo, Hi: var hi }] && lo == 0 && hi == 255;

    private static string Ranges(IntervalSet s) => string.Join(",", s.Intervals.Select(i =>
        i.Lo == i.Hi ? ((ulong)i.Lo).ToString(CultureInfo.InvariantCulture) : $"{(ulong)i.Lo}-{(ulong)i.Hi}"));

    private static IReadOnlyList<string> Cidrs(IntervalSet s, bool v6)
    {
        var bits = v6 ? 128 : 32;
        var list = new List<string>();
        foreach (var interval in s.Intervals)
        {
            foreach (var (network, prefix) in IntervalSet.Cidrs(interval, bits))
            {
                var address = IpAddr.FromValue(network, v6);
                list.Add($"{address}/{prefix}");
            }
        }
        return list;
    }
}

/// <summary>One class of a query's answer: its packets and what they all get.</summary>
public sealed record QueryClass(AnswerClass Packets, ClassOutcome Outcome);

/// <summary>One class of a static diff: packets that get <see cref="Old"/> under one ruleset and <see cref="New"/> under the other.</summary>
public sealed record DiffClass(AnswerClass Packets, ClassOutcome Old, ClassOutcome New);

/// <summary>How much work an answer took: requests played, leaves answered from an equal one, regions.</summary>
public sealed record AnswerStats(int Exchanges, int Memoized, int Regions);

public sealed record QueryAnswer(string Ruleset, string Set, IReadOnlyList<QueryClass> Classes, AnswerStats Stats);

public sealed record DiffAnswer(string OldRuleset, string NewRuleset, string Set, IReadOnlyList<DiffClass> Classes, AnswerStats Stats);

/// <summary>
/// Answers about all packets of a set, with the semantics of <c>check</c>: the set is partitioned into
/// classes whose packets all get the same outcome, stateless outcome, request rule and reply rule from a
/// fresh exchange (<see cref="Exchange"/>), and classes that agree on all four are merged. The partition is
/// cut at the compiled rulesets' own predicates (<see cref="HeaderBoxes"/>), and each region is decided by
/// playing one request of it through the engine's <see cref="Evaluator"/>: the static answer and a replayed
/// packet come from the same code.
/// </summary>
public static class Answers
{
    public static QueryAnswer Query(CompiledRuleset rules, PacketSet set)
    {
        var results = new List<ExchangeResult>();
        var index = new Dictionary<ExchangeResult, int>();
        var exchange = new Exchange(rules);
        var classes = new List<QueryClass>();
        var (played, memoized, regions) = (0, 0, 0);
        foreach (var part in set.Parts.Where(p => !p.IsEmpty))
        {
            var boxes = HeaderBoxes.Of(rules, part.V6);
            var (found, stats) = Partition.Of(boxes, part, request => Intern(exchange.Run(request), results, index));
            played += stats.Evaluated;
            memoized += stats.Memoized;
            regions += found.Count;
            foreach (var region in found)
            {
                classes.Add(new QueryClass(Packets(region), Text(rules, results[region.Result])));
            }
        }
        return new QueryAnswer(rules.Model.Name, set.Text, classes, new AnswerStats(played, memoized, regions));
    }

    /// <summary>
    /// The classes of <paramref name="set"/> whose outcome, stateless outcome or deciding rules differ
    /// between two rulesets: the partition is cut at both rulesets' predicates, and each region plays one
    /// request under each.
    /// </summary>
    public static DiffAnswer Diff(CompiledRuleset old, CompiledRuleset @new, PacketSet set)
    {
        var pairs = new List<(ExchangeResult Old, ExchangeResult New)>();
        var index = new Dictionary<(ExchangeResult, ExchangeResult), int>();
        var before = new Exchange(old);
        var after = new Exchange(@new);
        var classes = new List<DiffClass>();
        var (played, memoized, regions) = (0, 0, 0);
        foreach (var part in set.Parts.Where(p => !p.IsEmpty))
        {
            var boxes = HeaderBoxes.Of(old, part.V6);
            var oldCount = boxes.Count;
            var offset = boxes.Count == 0 ? 0 : boxes.Max(b => b.Group) + 1;
            boxes.AddRange(HeaderBoxes.Of(@new, part.V6, firstGroup: offset));
            var (found, stats) = Partition.Of(boxes, part, request =>
            {
                var pair = (before.Run(request), after.Run(request));
                if (!index.TryGetValue(pair, out var i))
                {
                    i = pairs.Count;
                    pairs.Add(pair);
                    index[pair] = i;
                }
                return i;
            }, SameTopology(old.Model, @new.Model) ? Changed(boxes, oldCount, offset) : null);
            played += stats.Evaluated;
            memoized += stats.Memoized;
            regions += found.Count;
            foreach (var region in found)
            {
                var (o, n) = pairs[region.Result];
                var (oldText, newText) = (Text(old, o), Text(@new, n));
                if (oldText != newText)
                {
                    classes.Add(new DiffClass(Packets(region), oldText, newText));
                }
            }
        }
        return new DiffAnswer(old.Model.Name, @new.Model.Name, set.Text, classes, new AnswerStats(played, memoized, regions));
    }

    /// <summary>
    /// Per box of a diff (the old ruleset's first, then the new one's, whose rule groups are numbered from
    /// <paramref name="offset"/>): whether the other ruleset has no box that is the same predicate with the
    /// same reference and action, read in the same order among its hop's unchanged rules. Where only
    /// unchanged boxes hold, the two rulesets read the same rules in the same order, and the partition need
    /// not look: a one-rule change is answered by looking where that rule's boxes are.
    /// </summary>
    private static bool[] Changed(List<HeaderBox> boxes, int oldCount, int offset)
    {
        var changed = new bool[boxes.Count];
        var olds = new Dictionary<int, List<int>>();
        for (var b = 0; b < oldCount; b++)
        {
            var h = boxes[b].ContentHash(0);
            if (!olds.TryGetValue(h, out var list))
            {
                olds[h] = list = [];
            }
            list.Add(b);
        }
        var twins = new int[boxes.Count];
        Array.Fill(twins, -1);
        for (var b = oldCount; b < boxes.Count; b++)
        {
            var box = boxes[b];
            var twin = olds.TryGetValue(box.ContentHash(offset), out var list)
                ? list.FirstOrDefault(o => twins[o] < 0 && boxes[o].SameAs(box, offset), -1)
                : -1;
            if (twin >= 0)
            {
                twins[twin] = b;
                twins[b] = twin;
            }
        }
        // A hop stops at its first match, so twins must keep their order: walking the new ruleset's group in
        // its order, a twin whose old place comes before one already passed was moved, and both copies of
        // it count as changed (two rules with ids swapped keep their references but not their order).
        var latest = new Dictionary<int, int>();
        for (var b = oldCount; b < boxes.Count; b++)
        {
            if (twins[b] < 0 || boxes[b].Group < 0)
            {
                continue;
            }
            if (latest.TryGetValue(boxes[b].Group, out var before) && twins[b] < before)
            {
                twins[twins[b]] = -1;
                twins[b] = -1;
                continue;
            }
            latest[boxes[b].Group] = twins[b];
        }
        for (var b = 0; b < boxes.Count; b++)
        {
            changed[b] = twins[b] < 0;
        }
        return changed;
    }

    /// <summary>
    /// Whether two rulesets place the same addresses the same way (subnets and their ACLs, interfaces and
    /// their groups, the VPC and tracking settings), so that they differ in rules only. Otherwise a diff
    /// looks at every cell.
    /// </summary>
    private static bool SameTopology(Ruleset a, Ruleset b)
    {
        static string Key(Ruleset r) => string.Join("\n",
            r.Subnets.Select(s => $"subnet {s.Name} {s.Cidr} {s.Ipv6Cidr} {s.NetworkAcl}")
                .Concat(r.Interfaces.Select(i => $"eni {i.Name} {string.Join(",", i.Addresses)} {i.Subnet} {string.Join(",", i.SecurityGroups)} {i.MaxTracked}"))
                .Concat(r.NetworkAcls.Select(n => $"acl {n.Name}"))
                .Append($"vpc {r.VpcCidr}")
                .Append($"tracking {r.Tracking}"));
        return Key(a) == Key(b);
    }

    /// <summary>What a single request gets: the exchange <see cref="Query"/> plays for its class.</summary>
    public static ClassOutcome Of(CompiledRuleset rules, in RequestHeader request) =>
        Text(rules, new Exchange(rules).Run(request));

    private static int Intern(ExchangeResult r, List<ExchangeResult> results, Dictionary<ExchangeResult, int> index)
    {
        if (!index.TryGetValue(r, out var i))
        {
            i = results.Count;
            results.Add(r);
            index[r] = i;
        }
        return i;
    }

    private static ClassOutcome Text(CompiledRuleset rules, ExchangeResult r) =>
        new(r.Outcome, r.StatelessOutcome, r.RequestRule < 0 ? null : rules.Rules.Reference(r.RequestRule), r.ReplyRule < 0 ? null : rules.Rules.Reference(r.ReplyRule));

    private static AnswerClass Packets(Region region)
    {
        var values = new UInt128[HeaderBox.Dims];
        foreach (var (dim, set) in region.Sets)
        {
            values[(int)dim] = Example(dim, set, region.V6);
        }
        // Not an address to itself when the class holds another: such a packet is no exchange (docs/answers.md).
        if (values[(int)Dim.Source] == values[(int)Dim.Destination])
        {
            foreach (var dim in new[] { Dim.Source, Dim.Destination })
            {
                var set = region.Sets[dim];
                var other = set.Intervals.SelectMany(i => new[] { i.Lo, i.Hi }).FirstOrDefault(v => v != values[(int)dim], values[(int)dim]);
                if (other != values[(int)dim])
                {
                    values[(int)dim] = other;
                    break;
                }
            }
        }
        if (values[(int)Dim.Source] == values[(int)Dim.Destination] && region.Sets.ContainsKey(Dim.SourcePort) && values[(int)Dim.SourcePort] == values[(int)Dim.DestinationPort])
        {
            foreach (var dim in new[] { Dim.SourcePort, Dim.DestinationPort })
            {
                var other = region.Sets[dim].Intervals.SelectMany(i => new[] { i.Lo, i.Hi }).FirstOrDefault(v => v != values[(int)dim], values[(int)dim]);
                if (other != values[(int)dim])
                {
                    values[(int)dim] = other;
                    break;
                }
            }
        }
        return new AnswerClass(region.V6, region.Sets, ExampleRequest.Of(values, region.V6));
    }

    /// <summary>An example value of a class's set: a documentation address when the set holds one (RFC 5737, RFC 3849), else a readable pick.</summary>
    private static UInt128 Example(Dim dim, IntervalSet set, bool v6)
    {
        if (dim is Dim.Source or Dim.Destination)
        {
            var candidates = v6
                ? new[] { IpAddr.Parse("2001:db8:ffff::7") }
                : new[] { IpAddr.Parse("198.51.100.7"), IpAddr.Parse("203.0.113.7"), IpAddr.Parse("192.0.2.7") };
            foreach (var c in candidates)
            {
                if (set.Contains(c.Value))
                {
                    return c.Value;
                }
            }
        }
        if (dim == Dim.SourcePort)
        {
            foreach (var port in ExampleRequest.ClientPorts)
            {
                if (set.Contains(port))
                {
                    return port;
                }
            }
        }
        return ExampleRequest.Pick(dim, set.Intervals[0]);
    }
}
