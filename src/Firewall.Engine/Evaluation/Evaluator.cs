using System.Runtime.CompilerServices;
using Firewall.Engine.Compilation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;
using Firewall.Engine.Tracking;

namespace Firewall.Engine.Evaluation;

/// <summary>
/// Evaluates packets, in capture order, against a compiled ruleset: the path sg-outbound → nacl-outbound →
/// nacl-inbound → sg-inbound, stateless NACLs, stateful security groups with a tracking table per
/// interface driven by capture timestamps, and the stateless comparison. One evaluator owns its tables and
/// flows; it does no I/O and, once its tables have grown, allocates nothing per packet.
/// <para>It orchestrates; each concept has a home of its own: <see cref="PathPlanner"/> (which hops),
/// <see cref="FlowIdentity"/> (which flow, which side is the client), <see cref="RuleHops"/> (NACL hops and
/// rules with their per-flow cache), <see cref="SecurityGroupHops"/> with <see cref="ConnectionTracker"/>
/// (stateful hops), <see cref="FragmentMemory"/> (later fragments) and <see cref="FlowAccounting"/>.</para>
/// </summary>
public sealed class Evaluator
{
    private readonly CompiledRuleset _rules;
    private readonly EvaluationOptions _options;
    private readonly ConnectionTracker _tracker;
    private readonly PathPlanner _paths;
    private readonly FlowIdentity _flowIds;
    private readonly RuleHops _ruleHops;
    private readonly SecurityGroupHops _groups;
    private readonly FragmentMemory _fragments;
    private readonly FlowAccounting _accounting;
    private FlowRecord _unrecorded;

    public Evaluator(CompiledRuleset rules, EvaluationOptions? options = null)
    {
        _rules = rules;
        _options = options ?? EvaluationOptions.Default;
        Counters = new Counters(rules.Rules.Count);
        _tracker = new ConnectionTracker(rules.Interfaces.Select(i => i.MaxTracked), rules.Tracking);
        _paths = new PathPlanner(rules);
        _flowIds = new FlowIdentity(Flows, _options, rules.Tracking, Counters);
        _ruleHops = new RuleHops(rules, Flows);
        _groups = new SecurityGroupHops(rules, _options, _tracker, _ruleHops, Counters);
        _fragments = new FragmentMemory(_options);
        _accounting = new FlowAccounting(Counters, Flows);
    }

    public CompiledRuleset Rules => _rules;

    public EvaluationOptions Options => _options;

    public FlowTable Flows { get; } = new();

    public Counters Counters { get; }

    /// <summary>The tracking table of each interface, in ruleset order.</summary>
    public IReadOnlyList<TrackingTable> Tables => _tracker.Tables;

    /// <summary>First fragments remembered so far: an upper bound of how many were remembered at once.</summary>
    public long FirstFragmentsRemembered => _fragments.Remembered;

    /// <summary>
    /// Forgets every flow, tracking entry and remembered fragment, so that the next packet meets empty tables
    /// as in a fresh evaluator, without allocating one: for analyses that replay many unrelated exchanges
    /// (the answers about all packets). <see cref="Counters"/> keep counting across.
    /// </summary>
    public void Forget()
    {
        Flows.Clear();
        _tracker.Clear();
        _fragments.Clear();
        _accounting.Clear();
        _unrecorded = default;
        _ruleHops.Forget();
    }

    /// <summary>The distinct references the packets of a recorded flow met (what its per-rule flow counts added).</summary>
    public IEnumerable<int> RulesOfFlow(int flowId) => _accounting.RulesOfFlow(flowId);

    // Evaluate and the per-packet methods it calls that are too big to inline are compiled optimized at
    // their first call. Otherwise a published (precompiled) build runs their precompiled code, and tiering
    // re-compiles them twice during the run on a thread of its own, which takes a core from a two-thread
    // run (paired, 5 M packets: two threads 1.48 → 1.40 s, one thread 2.14 → 2.10 s).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(in PacketInfo p, ref PacketResult r)
    {
        Start(in p, ref r);
        if (!p.Decoded)
        {
            Finish(ref r, Verdict.Undecodable, RuleTable.Skip);
            Counters.Undecodable++; // by reason: the reader's DecodeCounts, where decoding happens
            return;
        }
        if (!p.IsIp || PathPlanner.IsNeighborDiscovery(in p))
        {
            Skip(ref r);
            return;
        }

        var key = FlowIdentity.KeyOf(in p, out var swapped);
        var senderIsA = !swapped;
        if (!TryFindFlow(in p, in key, senderIsA, ref r, out var flowId, out var isReply))
        {
            return; // decided without hops: out of scope, not filtered, or a later fragment that followed its first
        }
        r.FlowId = flowId;
        r.IsReply = isReply;
        ref var flow = ref RecordOf(flowId);
        flow.LastTimeNs = p.TimestampNs;
        Connections.Note(ref flow, in p, senderIsA, isReply);
        _ruleHops.Prepare(in p, flowId, isReply != flow.ClientIsA);

        var planned = r.HopCount;
        if (EvaluateHops(in p, in key, senderIsA, ref r, ref flow))
        {
            EvaluateStateless(in p, ref r, planned);
        }
        else
        {
            r.StatelessVerdict = r.Verdict;
            r.StatelessRuleId = r.RuleId;
        }

        _accounting.Account(in p, ref r, ref flow, flowId);
        if (p.Has(PacketFlags.Fragment) && !p.IsLaterFragment)
        {
            _fragments.Remember(in p, in r, p.TimestampNs);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Start(in PacketInfo p, ref PacketResult r)
    {
        r.Frame = p.Frame;
        r.Flags = PacketResultFlags.None;
        r.Reason = DenyReason.None;
        r.FlowId = -1;
        r.IsReply = false;
        r.HopCount = 0;
        Counters.Frames++;
    }

    /// <summary>
    /// Plans the packet's hops and finds its flow (-1 past the flow-record bound); false when the packet was
    /// decided without hops and <paramref name="r"/> is final.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryFindFlow(in PacketInfo p, in FlowKey key, bool senderIsA, ref PacketResult r, out int flowId, out bool isReply)
    {
        var known = p.IsLaterFragment ? -1 : Flows.Find(in key);
        if (known >= 0)
        {
            // A known flow had a path and no bypass when it was created, and both depend only on its key:
            // the hops come from the endpoints' places it remembers, with no address lookups.
            var path = Flows[known].Path;
            _paths.BuildHops(ref r, path.Of(senderIsA), path.Of(!senderIsA));
            flowId = _flowIds.Continue(in p, known, senderIsA, out isReply);
            return true;
        }
        flowId = -1;
        isReply = false;
        var located = _paths.Locate(in p); // A = source, B = destination
        _paths.BuildHops(ref r, located.A, located.B);
        if (r.HopCount == 0)
        {
            Skip(ref r);
            return false;
        }
        var service = _rules.Bypass.Classify(in p);
        if (service != Bypass.Service.None)
        {
            r.HopCount = 0;
            r.Flags |= PacketResultFlags.NotFiltered;
            Finish(ref r, Verdict.Allow, _rules.BypassIds[(int)service]);
            Counters.NotFiltered++;
            Counters.RulePackets[r.RuleId]++;
            return false;
        }
        if (p.IsLaterFragment && FollowFirstFragment(in p, ref r))
        {
            return false;
        }
        flowId = _flowIds.Add(in p, in key, senderIsA, located, out isReply);
        return true;
    }

    /// <summary>The record of flow <paramref name="flowId"/>, or a scratch one past the flow-record bound (evaluated and counted, but not kept per flow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref FlowRecord RecordOf(int flowId)
    {
        if (flowId >= 0)
        {
            return ref Flows[flowId];
        }
        _unrecorded = default;
        _unrecorded.DeniedBy = _unrecorded.StatelessDeniedBy = -1;
        return ref _unrecorded;
    }

    private static void Finish(ref PacketResult r, Verdict verdict, int ruleId)
    {
        r.Verdict = verdict;
        r.RuleId = ruleId;
        r.StatelessVerdict = verdict;
        r.StatelessRuleId = ruleId;
    }

    private void Skip(ref PacketResult r)
    {
        r.HopCount = 0;
        Finish(ref r, Verdict.Skip, RuleTable.Skip);
        Counters.Skipped++;
        Counters.RulePackets[RuleTable.Skip]++;
    }

    /// <summary>
    /// Runs the planned hops statefully: consults and updates tracking tables. Returns true when tracking
    /// state decided an SG hop anywhere (so the stateless comparison may differ).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool EvaluateHops(in PacketInfo p, in FlowKey key, bool senderIsA, ref PacketResult r, ref FlowRecord flow)
    {
        var usedState = false;
        for (var h = 0; h < r.HopCount; h++)
        {
            ref var hop = ref r.Hops[h];
            bool allowed;
            if (hop.Kind is HopKind.NaclOutbound or HopKind.NaclInbound)
            {
                allowed = _ruleHops.Nacl(in p, ref hop, h, ref r, stateful: true);
            }
            else
            {
                allowed = _groups.Evaluate(in p, in key, senderIsA, h, ref r, ref flow);
                usedState |= hop.Basis != HopBasis.Rule;
            }
            if (!allowed)
            {
                r.Verdict = Verdict.Deny;
                r.RuleId = hop.RuleId;
                r.HopCount = h + 1; // later hops neither see nor track it
                return usedState;
            }
        }
        r.Verdict = Verdict.Allow;
        r.RuleId = r.Hops[r.HopCount - 1].RuleId;
        return usedState;
    }

    /// <summary>
    /// The stateless comparison: every SG hop by the rules of the packet's direction, nothing updated.
    /// Hops the stateful pass decided by rules are reused; only tracking-decided hops and the hops after
    /// a stateful deny are evaluated again. The reported trace (<see cref="PacketResult.Hops"/>) is untouched.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EvaluateStateless(in PacketInfo p, ref PacketResult r, int planned)
    {
        for (var h = 0; h < planned; h++)
        {
            var hop = r.Hops[h]; // a copy: the trace keeps what the stateful pass said
            bool allowed;
            if (h < r.HopCount && hop.Basis == HopBasis.Rule)
            {
                allowed = hop.Allowed;
            }
            else if (hop.Kind is HopKind.NaclInbound or HopKind.NaclOutbound)
            {
                allowed = _ruleHops.Nacl(in p, ref hop, h, ref r, stateful: false);
            }
            else
            {
                allowed = _ruleHops.SgByRules(in p, ref hop, h, ref r, stateful: false);
            }
            if (!allowed)
            {
                r.StatelessVerdict = Verdict.Deny;
                r.StatelessRuleId = hop.RuleId;
                return;
            }
            if (h == planned - 1)
            {
                r.StatelessVerdict = Verdict.Allow;
                r.StatelessRuleId = hop.RuleId;
            }
        }
    }

    /// <summary>A later fragment takes its first fragment's verdict when that was seen (<see cref="FragmentMemory"/>).</summary>
    private bool FollowFirstFragment(in PacketInfo p, ref PacketResult r)
    {
        if (!_fragments.TryFollow(in p, ref r, p.TimestampNs))
        {
            r.Flags |= PacketResultFlags.FragmentWithoutFirst;
            Counters.FragmentsWithoutFirst++;
            return false;
        }
        r.Flags |= PacketResultFlags.FragmentFollowed;
        Counters.FragmentsFollowed++;
        ref var flow = ref RecordOf(r.FlowId);
        flow.LastTimeNs = p.TimestampNs;
        _accounting.Account(in p, ref r, ref flow, r.FlowId);
        return true;
    }
}
