using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;

namespace Firewall.Reporting.Html;

/// <summary>A security group that keeps flows alive by tracking them: without state their replies would be dropped.</summary>
public sealed record StatefulGroup(string Group, IReadOnlyList<string> Interfaces, int Flows, IReadOnlyList<RuleShare> StatelessDeniedBy, IReadOnlyList<int> Examples);

/// <summary>A reference and the number of flows it applies to.</summary>
public sealed record RuleShare(string Reference, int Flows);

/// <summary>Which flows the table shows when there are more than it holds.</summary>
public sealed record FlowSelection(IReadOnlyList<int> Ids, int LeftOut, int LeftOutWithDenials);

/// <summary>
/// The report's aggregates that the text summary does not compute. Each is one pass over the flow table
/// of the finished run (which <c>check</c> keeps as well), so they add no per-packet cost.
/// </summary>
public static class ReportFigures
{
    public const int MaxExamples = 3;

    /// <summary>New flows per timeline bucket (by their first packet) and outcome: [bucket, <see cref="FlowOutcome"/>].</summary>
    public static long[,] FlowsPerInterval(Timeline timeline, FlowRecords flows)
    {
        var counts = new long[Math.Max(1, timeline.BucketCount), Enum.GetValues<FlowOutcome>().Length];
        foreach (ref readonly var f in flows)
        {
            counts[timeline.BucketOf(f.FirstTimeNs), (int)f.Outcome]++;
        }
        return counts;
    }

    /// <summary>
    /// The addresses that sent the most denied packets: a flow's denied requests count for its client,
    /// its denied replies for its server. <c>TopRule</c> is the rule that first denied most of them.
    /// </summary>
    public static IReadOnlyList<DeniedTalker> DeniedTalkers(RunReport report, int top)
    {
        var flows = report.Flows.Records;
        var totals = DeniedBySender(flows);
        var chosen = Top(totals, top);
        var topRule = TopRules(flows, chosen);
        var references = report.Rules.Rules;
        return chosen
            .Select(a => (Address: a, Totals: totals[a]))
            .OrderByDescending(c => c.Totals.Requests + c.Totals.Replies)
            .ThenBy(c => c.Address)
            .Select(c => new DeniedTalker(
                c.Address.ToString(),
                c.Totals.Requests,
                c.Totals.Replies,
                c.Totals.Flows,
                topRule.TryGetValue(c.Address, out var r) ? references.Reference(r.Rule) : "-"))
            .ToList();
    }

    /// <summary>Per sending address: its denied requests (as a client), denied replies (as a server), and flows.</summary>
    private static Dictionary<IpAddr, (long Requests, long Replies, int Flows)> DeniedBySender(FlowRecords flows)
    {
        var totals = new Dictionary<IpAddr, (long Requests, long Replies, int Flows)>();
        void Add(IpAddr sender, long requests, long replies)
        {
            ref var t = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(totals, sender, out _);
            t = (t.Requests + requests, t.Replies + replies, t.Flows + 1);
        }
        foreach (ref readonly var f in flows)
        {
            if (f.RequestDenied > 0)
            {
                Add(f.Client, f.RequestDenied, 0);
            }
            if (f.ReplyDenied > 0)
            {
                Add(f.Server, 0, f.ReplyDenied);
            }
        }
        return totals;
    }

    private static HashSet<IpAddr> Top(Dictionary<IpAddr, (long Requests, long Replies, int Flows)> totals, int top)
    {
        // The top N without sorting every address: a min-heap of the best seen so far.
        var heap = new PriorityQueue<IpAddr, (long Denied, IpAddr Address)>(top + 1, Comparer<(long Denied, IpAddr Address)>.Create(
            (a, b) => a.Denied != b.Denied ? a.Denied.CompareTo(b.Denied) : b.Address.CompareTo(a.Address)));
        foreach (var (address, t) in totals)
        {
            heap.Enqueue(address, (t.Requests + t.Replies, address));
            if (heap.Count > top)
            {
                heap.Dequeue();
            }
        }
        var chosen = new HashSet<IpAddr>();
        while (heap.TryDequeue(out var address, out _))
        {
            chosen.Add(address);
        }
        return chosen;
    }

    /// <summary>For the chosen addresses only: the rule that first denied most of their packets (the lowest id on a tie).</summary>
    private static Dictionary<IpAddr, (int Rule, long Count)> TopRules(FlowRecords flows, HashSet<IpAddr> chosen)
    {
        var byRule = new Dictionary<(IpAddr, int), long>();
        foreach (ref readonly var f in flows)
        {
            if (f.DeniedBy < 0)
            {
                continue;
            }
            if (f.RequestDenied > 0 && chosen.Contains(f.Client))
            {
                CollectionsMarshalAdd(byRule, (f.Client, f.DeniedBy), f.RequestDenied);
            }
            if (f.ReplyDenied > 0 && chosen.Contains(f.Server))
            {
                CollectionsMarshalAdd(byRule, (f.Server, f.DeniedBy), f.ReplyDenied);
            }
        }
        var topRule = new Dictionary<IpAddr, (int Rule, long Count)>();
        foreach (var ((address, rule), n) in byRule)
        {
            if (!topRule.TryGetValue(address, out var best) || n > best.Count || (n == best.Count && rule < best.Rule))
            {
                topRule[address] = (rule, n);
            }
        }
        return topRule;
    }

    private static void CollectionsMarshalAdd<TKey>(Dictionary<TKey, long> counts, TKey key, long n)
        where TKey : notnull
    {
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _) += n;
    }

    /// <summary>
    /// Flows that pass only because a security group tracks them (allowed as they are, not allowed if
    /// groups kept no state), by the group whose rule admitted them: the group whose state they need.
    /// </summary>
    public static IReadOnlyList<StatefulGroup> StatefulGroups(RunReport report)
    {
        var model = report.Rules.Model;
        var table = report.Rules.Rules;
        var groupOf = GroupOfRule(model, table);
        // Index model.SecurityGroups.Count stands for "not recorded": the flow met more distinct
        // references than its record keeps, and the admitting rule was not among them.
        var unknown = model.SecurityGroups.Count;
        var counts = new int[unknown + 1];
        var deniedBy = new Dictionary<(int Group, int Rule), int>();
        var examples = new List<int>[unknown + 1];
        Span<bool> seen = unknown + 1 <= 256 ? stackalloc bool[unknown + 1] : new bool[unknown + 1];
        var flows = report.Flows.Records;
        for (var i = 0; i < flows.Length; i++)
        {
            ref readonly var f = ref flows[i];
            if (f.Outcome != FlowOutcome.Allowed || f.StatelessOutcome == FlowOutcome.Allowed)
            {
                continue;
            }
            MarkGroups(in f, groupOf, seen);
            for (var g = 0; g <= unknown; g++)
            {
                if (!seen[g])
                {
                    continue;
                }
                counts[g]++;
                System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(deniedBy, (g, f.StatelessDeniedBy), out _)++;
                examples[g] ??= [];
                if (examples[g].Count < MaxExamples)
                {
                    examples[g].Add(i);
                }
            }
        }
        string Name(int g) => g == unknown ? "" : model.SecurityGroups[g].Name;
        return Enumerable.Range(0, unknown + 1)
            .Where(g => counts[g] > 0)
            .OrderByDescending(g => counts[g]).ThenBy(Name, StringComparer.Ordinal)
            .Select(g => new StatefulGroup(
                Name(g),
                g == unknown ? [] : model.Interfaces.Where(n => n.SecurityGroups.Contains(Name(g))).Select(n => n.Name).ToList(),
                counts[g],
                deniedBy.Where(d => d.Key.Group == g)
                    .Select(d => new RuleShare(d.Key.Rule >= 0 ? table.Reference(d.Key.Rule) : "-", d.Value))
                    .OrderByDescending(d => d.Flows).ThenBy(d => d.Reference, StringComparer.Ordinal)
                    .ToList(),
                examples[g]))
            .ToList();
    }

    /// <summary>Rule id -> index of its group in the model's security groups, or -1 for references that are no group's rule.</summary>
    private static int[] GroupOfRule(Ruleset model, RuleTable table)
    {
        var groupOf = new int[table.Count];
        Array.Fill(groupOf, -1);
        for (var g = 0; g < model.SecurityGroups.Count; g++)
        {
            foreach (var rule in model.SecurityGroups[g].Inbound.Concat(model.SecurityGroups[g].Outbound))
            {
                if (table.TryFind(rule.Reference, out var id))
                {
                    groupOf[id] = g;
                }
            }
        }
        return groupOf;
    }

    /// <summary>Marks in <paramref name="seen"/> the groups whose rules the flow met; the last slot ("not recorded") when it met none.</summary>
    private static void MarkGroups(in FlowRecord f, int[] groupOf, Span<bool> seen)
    {
        seen.Clear();
        var any = false;
        for (var r = 0; r < Math.Min((int)f.RuleCount, FlowRecord.InlineRules); r++)
        {
            var id = f.Rules[r];
            if ((uint)id < (uint)groupOf.Length && groupOf[id] >= 0)
            {
                seen[groupOf[id]] = true;
                any = true;
            }
        }
        if (!any)
        {
            seen[^1] = true;
        }
    }

    /// <summary>
    /// The flows the table shows: all of them when they fit, else flows with a denied packet first (they
    /// are what a reader looks for), then allowed flows, each in order of appearance; shown by flow number.
    /// </summary>
    /// <param name="listed">The flows a narrowed report lists; the others are neither shown nor counted as left out.</param>
    public static FlowSelection SelectFlows(FlowRecords flows, int max, Func<int, bool> listed)
    {
        var count = 0;
        for (var i = 0; i < flows.Length; i++)
        {
            if (listed(i)) count++;
        }
        if (count <= max)
        {
            return new FlowSelection(Enumerable.Range(0, flows.Length).Where(listed).ToList(), 0, 0);
        }
        var ids = new List<int>(max);
        var denied = 0;
        for (var i = 0; i < flows.Length; i++)
        {
            if (listed(i) && flows[i].Outcome != FlowOutcome.Allowed)
            {
                denied++;
                if (ids.Count < max) ids.Add(i);
            }
        }
        for (var i = 0; i < flows.Length && ids.Count < max; i++)
        {
            if (listed(i) && flows[i].Outcome == FlowOutcome.Allowed) ids.Add(i);
        }
        ids.Sort();
        var shownDenied = Math.Min(denied, max);
        return new FlowSelection(ids, count - ids.Count, denied - shownDenied);
    }

    /// <summary>Rule hits of one security group, inbound then outbound, in file order.</summary>
    public static IReadOnlyList<(SgRule Rule, RuleCount Hits)> GroupHits(SecurityGroup group, IReadOnlyDictionary<string, RuleCount> hits) =>
        group.Inbound.Concat(group.Outbound)
            .Where(r => hits.ContainsKey(r.Reference))
            .Select(r => (r, hits[r.Reference]))
            .ToList();
}
