using Firewall.Analysis.Runs;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Summaries;

/// <summary>A count of packets and flows attributed to one reference.</summary>
public sealed record RuleCount(RuleEntry Rule, long Packets, long Flows);

/// <summary>A count under a stable kebab-case name (a deny reason, a decode error).</summary>
public sealed record NamedCount(string Name, long Count);

/// <summary>
/// Reply-denied flows by what dropped their first denied reply: a network ACL, a security group's rules (a
/// reply that no tracking entry admitted), or connection tracking itself (a full table, <c>--midstream strict</c>).
/// </summary>
public readonly record struct ReplyDenials(int Nacl, int SecurityGroup, int Tracking);

/// <summary>
/// The figures every summary prints, computed once from a finished run: totals, flows by outcome, the
/// denying rules, replies dropped by NACLs, rule hits in ruleset order, the stateful-only flows.
/// </summary>
public sealed class RunSummary
{
    private RunSummary() { }

    public long Packets { get; private init; }
    public long Allowed { get; private init; }
    public long Denied { get; private init; }
    public long Skipped { get; private init; }
    public long NotFiltered { get; private init; }
    public long Undecodable { get; private init; }

    /// <summary>Packets each <c>bypass:NAME</c> let through unfiltered, non-zero only.</summary>
    public IReadOnlyList<RuleCount> NotFilteredBy { get; private init; } = [];

    /// <summary>Undecodable frames by decode error, non-zero only, in enum order.</summary>
    public IReadOnlyList<NamedCount> UndecodableBy { get; private init; } = [];

    /// <summary>Denied packets by reason, non-zero only, in enum order.</summary>
    public IReadOnlyList<NamedCount> DeniedBy { get; private init; } = [];

    public long FragmentsFollowed { get; private init; }
    public long FragmentsWithoutFirst { get; private init; }

    public int Flows { get; private init; }

    /// <summary>Flow count per outcome, indexed by <see cref="FlowOutcome"/>.</summary>
    public int[] FlowsByOutcome { get; } = new int[4];

    /// <summary>Flows allowed as they are, but not if security groups kept no state.</summary>
    public int StatefulOnlyFlows { get; private init; }

    /// <summary>What dropped the replies of the <see cref="FlowOutcome.ReplyDenied"/> flows.</summary>
    public ReplyDenials ReplyDeniedBy { get; private init; }

    public int InferredFlows { get; private init; }
    public int UntrackedFlows { get; private init; }

    /// <summary>References that denied packets, most packets first.</summary>
    public IReadOnlyList<RuleCount> DenyingRules { get; private init; } = [];

    /// <summary>NACL references that dropped the replies of flows whose requests passed, most flows first.</summary>
    public IReadOnlyList<RuleCount> ReplyDrops { get; private init; } = [];

    /// <summary>Every ruleset rule (and each NACL's <c>*</c>) in ruleset order with its hits.</summary>
    public IReadOnlyList<RuleCount> RuleHits { get; private init; } = [];

    /// <summary>Engine references (conntrack, no match, bypass, skip) that decided at least one packet.</summary>
    public IReadOnlyList<RuleCount> EngineHits { get; private init; } = [];

    public static RunSummary Of(RunReport report)
    {
        var c = report.Counters;
        var catalog = report.Catalog;
        var flows = report.Flows.Records;

        var tally = FlowTally.Of(flows, catalog);
        var summary = new RunSummary
        {
            Packets = c.Frames,
            Allowed = c.Allowed,
            Denied = c.Denied,
            Skipped = c.Skipped,
            NotFiltered = c.NotFiltered,
            Undecodable = c.Undecodable,
            NotFilteredBy = catalog.EngineReferences
                .Where(e => e.Kind == RuleKind.Bypass && c.RulePackets[e.Id] > 0)
                .Select(e => Count(e, c)).ToList(),
            UndecodableBy = DecodeErrorText.All
                .Where(e => report.Input.DecodeErrors[(int)e] > 0)
                .Select(e => new NamedCount(DecodeErrorText.Name(e), report.Input.DecodeErrors[(int)e])).ToList(),
            DeniedBy = Enum.GetValues<DenyReason>()
                .Where(r => r != DenyReason.None && c.DenyReasons[(int)r] > 0)
                .Select(r => new NamedCount(ResultText.Name(r), c.DenyReasons[(int)r])).ToList(),
            FragmentsFollowed = c.FragmentsFollowed,
            FragmentsWithoutFirst = c.FragmentsWithoutFirst,
            Flows = flows.Length,
            StatefulOnlyFlows = tally.StatefulOnly,
            ReplyDeniedBy = new ReplyDenials(tally.NaclReplies, tally.SgReplies, tally.TrackingReplies),
            InferredFlows = tally.Inferred,
            UntrackedFlows = tally.Untracked,
            DenyingRules = catalog.RulesetRules.Concat(catalog.EngineReferences)
                .Where(e => e.Denies && c.RulePackets[e.Id] > 0)
                .Select(e => Count(e, c))
                .OrderByDescending(r => r.Packets).ThenBy(r => r.Rule.Id)
                .ToList(),
            ReplyDrops = tally.ReplyDrops
                .Select(kv => new RuleCount(catalog[kv.Key], kv.Value.Packets, kv.Value.Flows))
                .OrderByDescending(r => r.Flows).ThenBy(r => r.Rule.Id)
                .ToList(),
            RuleHits = catalog.RulesetRules.Select(e => Count(e, c)).ToList(),
            EngineHits = catalog.EngineReferences
                .Where(e => c.RulePackets[e.Id] > 0)
                .Select(e => Count(e, c)).ToList(),
        };
        tally.ByOutcome.CopyTo(summary.FlowsByOutcome, 0);
        return summary;
    }

    /// <summary>What one pass over the flows counts: outcomes, flags, and the NACL reply drops by denying reference.</summary>
    private sealed class FlowTally
    {
        public readonly Dictionary<int, (long Packets, long Flows)> ReplyDrops = new();
        public readonly int[] ByOutcome = new int[4];
        public int StatefulOnly, Inferred, Untracked, NaclReplies, SgReplies, TrackingReplies;

        public static FlowTally Of(FlowRecords flows, RuleCatalog catalog)
        {
            var t = new FlowTally();
            foreach (ref readonly var f in flows)
            {
                var outcome = f.Outcome;
                t.ByOutcome[(int)outcome]++;
                if (outcome == FlowOutcome.Allowed && f.StatelessOutcome != FlowOutcome.Allowed)
                {
                    t.StatefulOnly++;
                }
                if (f.Has(FlowFlags.Inferred)) t.Inferred++;
                if (f.Has(FlowFlags.Untracked)) t.Untracked++;
                if (IsNaclReplyDrop(in f, catalog))
                {
                    t.ReplyDrops.TryGetValue(f.DeniedBy, out var sum);
                    t.ReplyDrops[f.DeniedBy] = (sum.Packets + f.ReplyDenied, sum.Flows + 1);
                    t.NaclReplies++;
                }
                else if (outcome == FlowOutcome.ReplyDenied)
                {
                    if (f.DeniedBy >= 0 && catalog[f.DeniedBy].Kind is RuleKind.SgRule or RuleKind.SgNoMatch) t.SgReplies++;
                    else t.TrackingReplies++;
                }
            }
            return t;
        }
    }

    /// <summary>A flow whose requests all passed and whose first dropped packet, a reply, met a NACL rule or <c>*</c>.</summary>
    public static bool IsNaclReplyDrop(in FlowRecord flow, RuleCatalog catalog) =>
        flow.Outcome == FlowOutcome.ReplyDenied && flow.DeniedBy >= 0 && catalog[flow.DeniedBy].Nacl is not null;

    private static RuleCount Count(RuleEntry e, Counters c) => new(e, c.RulePackets[e.Id], c.RuleFlows[e.Id]);
}
