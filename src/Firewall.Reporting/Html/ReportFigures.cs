using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Reporting.Summaries;

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
    public static long[,] FlowsPerInterval(Timeline timeline, ReadOnlySpan<FlowRecord> flows)
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
        var totals = new Dictionary<IpAddr, (long Requests, long Replies, int Flows)>();
        var byRule = new Dictionary<(IpAddr, int), long>();
        void Add(IpAddr sender, long requests, long replies, int rule)
        {
            totals.TryGetValue(sender, out var t);
            totals[sender] = (t.Requests + requests, t.Replies + replies, t.Flows + 1);
            if (rule >= 0)
            {
                byRule.TryGetValue((sender, rule), out var n);
                byRule[(sender, rule)] = n + requests + replies;
            }
        }
        foreach (ref readonly var f in flows)
        {
            if (f.RequestDenied > 0)
            {
                Add(f.Client, f.RequestDenied, 0, f.DeniedBy);
            }
            if (f.ReplyDenied > 0)
            {
                Add(f.Server, 0, f.ReplyDenied, f.DeniedBy);
            }
        }
        var chosen = totals
            .OrderByDescending(kv => kv.Value.Requests + kv.Value.Replies)
            .ThenBy(kv => kv.Key)
            .Take(top)
            .ToList();
        var chosenSet = chosen.Select(c => c.Key).ToHashSet();
        var topRule = new Dictionary<IpAddr, (int Rule, long Count)>();
        foreach (var ((address, rule), n) in byRule)
        {
            if (chosenSet.Contains(address)
                && (!topRule.TryGetValue(address, out var best) || n > best.Count || (n == best.Count && rule < best.Rule)))
            {
                topRule[address] = (rule, n);
            }
        }
        var references = report.Rules.Rules;
        return chosen
            .Select(kv => new DeniedTalker(
                kv.Key.ToString(),
                kv.Value.Requests,
                kv.Value.Replies,
                kv.Value.Flows,
                topRule.TryGetValue(kv.Key, out var r) ? references.Reference(r.Rule) : "-"))
            .ToList();
    }

    /// <summary>
    /// Flows that pass only because a security group tracks them (allowed as they are, not allowed if
    /// groups kept no state), by the group whose rule admitted them: the group whose state they need.
    /// </summary>
    public static IReadOnlyList<StatefulGroup> StatefulGroups(RunReport report)
    {
        var model = report.Rules.Model;
        var table = report.Rules.Rules;
        var groupOf = new Dictionary<int, string>();
        foreach (var g in model.SecurityGroups)
        {
            foreach (var rule in g.Inbound.Concat(g.Outbound))
            {
                if (table.TryFind(rule.Reference, out var id))
                {
                    groupOf[id] = g.Name;
                }
            }
        }
        var members = new Dictionary<string, (int Flows, Dictionary<string, int> DeniedBy, List<int> Examples)>();
        var flows = report.Flows.Records;
        for (var i = 0; i < flows.Length; i++)
        {
            ref readonly var f = ref flows[i];
            if (f.Outcome != FlowOutcome.Allowed || f.StatelessOutcome == FlowOutcome.Allowed)
            {
                continue;
            }
            var groups = new List<string>(2);
            for (var r = 0; r < Math.Min((int)f.RuleCount, FlowRecord.InlineRules); r++)
            {
                if (groupOf.TryGetValue(f.Rules[r], out var name) && !groups.Contains(name))
                {
                    groups.Add(name);
                }
            }
            if (groups.Count == 0)
            {
                // The flow met more distinct references than the record keeps; the group is unknown.
                groups.Add("");
            }
            var reference = f.StatelessDeniedBy >= 0 ? table.Reference(f.StatelessDeniedBy) : "-";
            foreach (var name in groups)
            {
                if (!members.TryGetValue(name, out var m))
                {
                    members[name] = m = (0, new Dictionary<string, int>(), new List<int>());
                }
                m.DeniedBy[reference] = m.DeniedBy.GetValueOrDefault(reference) + 1;
                if (m.Examples.Count < MaxExamples)
                {
                    m.Examples.Add(i);
                }
                members[name] = (m.Flows + 1, m.DeniedBy, m.Examples);
            }
        }
        return members
            .OrderByDescending(kv => kv.Value.Flows).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new StatefulGroup(
                kv.Key,
                model.Interfaces.Where(n => n.SecurityGroups.Contains(kv.Key)).Select(n => n.Name).ToList(),
                kv.Value.Flows,
                kv.Value.DeniedBy.OrderByDescending(d => d.Value).ThenBy(d => d.Key, StringComparer.Ordinal).Select(d => new RuleShare(d.Key, d.Value)).ToList(),
                kv.Value.Examples))
            .ToList();
    }

    /// <summary>
    /// The flows the table shows: all of them when they fit, else flows with a denied packet first (they
    /// are what a reader looks for), then allowed flows, each in order of appearance; shown by flow number.
    /// </summary>
    public static FlowSelection SelectFlows(ReadOnlySpan<FlowRecord> flows, int max)
    {
        if (flows.Length <= max)
        {
            return new FlowSelection(Enumerable.Range(0, flows.Length).ToList(), 0, 0);
        }
        var ids = new List<int>(max);
        var denied = 0;
        for (var i = 0; i < flows.Length; i++)
        {
            if (flows[i].Outcome != FlowOutcome.Allowed)
            {
                denied++;
                if (ids.Count < max) ids.Add(i);
            }
        }
        for (var i = 0; i < flows.Length && ids.Count < max; i++)
        {
            if (flows[i].Outcome == FlowOutcome.Allowed) ids.Add(i);
        }
        ids.Sort();
        var shownDenied = Math.Min(denied, max);
        return new FlowSelection(ids, flows.Length - ids.Count, denied - shownDenied);
    }

    /// <summary>Rule hits of one security group, inbound then outbound, in file order.</summary>
    public static IReadOnlyList<(SgRule Rule, RuleCount Hits)> GroupHits(SecurityGroup group, IReadOnlyDictionary<string, RuleCount> hits) =>
        group.Inbound.Concat(group.Outbound)
            .Where(r => hits.ContainsKey(r.Reference))
            .Select(r => (r, hits[r.Reference]))
            .ToList();
}
