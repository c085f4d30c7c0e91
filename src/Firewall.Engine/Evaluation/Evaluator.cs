using System.Runtime.CompilerServices;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;
using Firewall.Engine.Tracking;

namespace Firewall.Engine.Evaluation;

/// <summary>
/// Evaluates packets, in capture order, against a compiled ruleset: the path of SPEC §2 (sg-outbound →
/// nacl-outbound → nacl-inbound → sg-inbound), stateless NACLs, stateful security groups with a tracking
/// table per interface driven by capture timestamps, and the stateless comparison. One evaluator owns
/// its tables and flows; it does no I/O and, once its tables have grown, allocates nothing per packet.
/// </summary>
public sealed class Evaluator
{
    private const long NsPerSecond = 1_000_000_000L;

    private readonly CompiledRuleset _rules;
    private readonly EvaluationOptions _options;
    private readonly TrackingSettings _timeouts;
    private readonly TrackingTable[] _tables;
    private readonly Dictionary<FragmentKey, FragmentVerdict> _fragments = new();
    private readonly HashSet<long> _flowRuleOverflow = new();
    private FlowRecord _unrecorded;
    private int _cacheFlow = -1; // the flow whose rule results this packet may use and fill, or -1
    private int _cacheSide;
    private int _noCache;

    public Evaluator(CompiledRuleset rules, EvaluationOptions? options = null)
    {
        _rules = rules;
        _options = options ?? EvaluationOptions.Default;
        _timeouts = rules.Tracking;
        _tables = rules.Interfaces.Select(i => new TrackingTable(i.MaxTracked)).ToArray();
        Counters = new Counters(rules.Rules.Count);
    }

    public CompiledRuleset Rules => _rules;

    public EvaluationOptions Options => _options;

    public FlowTable Flows { get; } = new();

    public Counters Counters { get; }

    /// <summary>The tracking table of each interface, in ruleset order.</summary>
    public IReadOnlyList<TrackingTable> Tables => _tables;

    /// <summary>First fragments remembered so far: an upper bound of how many were remembered at once.</summary>
    public long FirstFragmentsRemembered { get; private set; }

    /// <summary>
    /// Forgets every flow, tracking entry and remembered fragment, so that the next packet meets empty tables
    /// as in a fresh evaluator, without allocating one: for analyses that replay many unrelated exchanges
    /// (the answers about all packets). <see cref="Counters"/> keep counting across.
    /// </summary>
    public void Forget()
    {
        Flows.Clear();
        foreach (var table in _tables)
        {
            table.Clear();
        }
        _fragments.Clear();
        _flowRuleOverflow.Clear();
        _unrecorded = default;
        _cacheFlow = -1;
    }

    /// <summary>The distinct references the packets of a recorded flow met (what its per-rule flow counts added).</summary>
    public IEnumerable<int> RulesOfFlow(int flowId)
    {
        var flow = Flows[flowId];
        for (var i = 0; i < flow.RuleCount; i++)
        {
            yield return flow.Rules[i];
        }
        if (flow.RuleCount < FlowRecord.InlineRules)
        {
            yield break;
        }
        for (var ruleId = 0; ruleId < Counters.RuleFlows.Length; ruleId++)
        {
            if (_flowRuleOverflow.Contains((long)flowId << 32 | (uint)ruleId))
            {
                yield return ruleId;
            }
        }
    }

    // Evaluate and the per-packet methods it calls that are too big to inline are compiled optimized at
    // their first call. Otherwise a published (precompiled) build runs their precompiled code, and tiering
    // re-compiles them twice during the run on a thread of its own, which takes a core from a two-thread
    // run (paired, 5 M packets: two threads 1.48 → 1.40 s, one thread 2.14 → 2.10 s).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(in PacketInfo p, ref PacketResult r)
    {
        r.Frame = p.Frame;
        r.Flags = PacketResultFlags.None;
        r.Reason = DenyReason.None;
        r.FlowId = -1;
        r.IsReply = false;
        r.HopCount = 0;
        Counters.Frames++;

        if (!p.Decoded)
        {
            Finish(ref r, Verdict.Undecodable, RuleTable.Skip);
            Counters.Undecodable++;
            Counters.DecodeErrors[(int)p.Error]++;
            return;
        }
        if (!p.IsIp || IsNeighborDiscovery(in p))
        {
            Skip(ref r);
            return;
        }

        var now = p.TimestampNs;
        var key = FlowKeyOf(in p, out var swapped);
        int flowId;
        bool isReply;
        var known = p.IsLaterFragment ? -1 : Flows.Find(in key);
        if (known >= 0)
        {
            // A known flow had a path and no bypass when it was created, and both depend only on its key:
            // the hops come from the endpoints' places it remembers, with no address lookups.
            ref var record = ref Flows[known];
            var senderIsA = !swapped;
            BuildHops(ref r, record.Path.Of(senderIsA), record.Path.Of(!senderIsA));
            if (Connections.StartsAnew(in p, in record, senderIsA, now, _timeouts))
            {
                flowId = RestartFlow(in p, known, senderIsA, out isReply);
            }
            else
            {
                flowId = known;
                isReply = senderIsA != record.ClientIsA;
            }
        }
        else
        {
            var path = Locate(in p); // A = source, B = destination
            BuildHops(ref r, path.A, path.B);
            if (r.HopCount == 0)
            {
                Skip(ref r);
                return;
            }
            var service = _rules.Bypass.Classify(in p);
            if (service != Bypass.Service.None)
            {
                r.HopCount = 0;
                r.Flags |= PacketResultFlags.NotFiltered;
                Finish(ref r, Verdict.Allow, _rules.BypassIds[(int)service]);
                Counters.NotFiltered++;
                Counters.RulePackets[r.RuleId]++;
                return;
            }
            if (p.IsLaterFragment && FollowFirstFragment(in p, ref r, now))
            {
                return;
            }
            flowId = AddFlow(in p, in key, swapped, path, out isReply);
        }
        r.FlowId = flowId;
        r.IsReply = isReply;
        if (flowId < 0)
        {
            _unrecorded = default; // past the flow-record bound: evaluated and counted, but not kept per flow
            _unrecorded.DeniedBy = _unrecorded.StatelessDeniedBy = -1;
        }
        ref var flow = ref flowId >= 0 ? ref Flows[flowId] : ref _unrecorded;
        flow.LastTimeNs = now;
        Connections.Note(ref flow, in p, senderIsA: !swapped, isReply);
        PrepareRuleCache(in p, flowId, isReply != flow.ClientIsA);

        var planned = r.HopCount;
        var usedState = EvaluateHops(in p, in key, swapped, ref r, ref flow, now);
        if (usedState)
        {
            EvaluateStateless(in p, ref r, planned);
        }
        else
        {
            r.StatelessVerdict = r.Verdict;
            r.StatelessRuleId = r.RuleId;
        }

        Account(in p, ref r, ref flow, flowId);
        if (p.Has(PacketFlags.Fragment) && !p.IsLaterFragment)
        {
            RememberFirstFragment(in p, ref r, now);
        }
    }

    /// <summary>
    /// ICMPv6 multicast listener (130–132, 143) and neighbour/router discovery (133–137) messages are link
    /// plumbing that the VPC answers itself (a VPC has no multicast and proxies neighbour discovery); like
    /// ARP, they are out of scope rather than judged by rules. AWS documents nothing here: an assumption.
    /// Only over IPv6: an IPv4 packet of protocol 58 is no such message, and NACL rules match it
    /// (CreateNetworkAclEntry: protocol 58 with an IPv4 CIDR).
    /// </summary>
    private static bool IsNeighborDiscovery(in PacketInfo p) =>
        p.IpVersion == 6 && p.Protocol == IpProtocol.IcmpV6 && p.Has(PacketFlags.Icmp) && p.IcmpType is (>= 130 and <= 137) or 143;

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

    /// <summary>Where the packet's source (A) and destination (B) sit in the ruleset: interface and subnet of each.</summary>
    private FlowPath Locate(in PacketInfo p)
    {
        var map = _rules.Addresses;
        map.Locate(p.Src, out var srcIf, out var srcSubnet);
        map.Locate(p.Dst, out var dstIf, out var dstSubnet);
        return new FlowPath(new FlowPath.Place(srcIf, srcSubnet), new FlowPath.Place(dstIf, dstSubnet));
    }

    /// <summary>Fills the hop plan (kinds and targets) from the endpoints' places; no hop means out of scope.</summary>
    private void BuildHops(ref PacketResult r, FlowPath.Place src, FlowPath.Place dst)
    {
        var n = 0;
        if (src.Interface >= 0 && _rules.Interfaces[src.Interface].HasGroups)
        {
            r.Hops[n++] = new HopTrace { Kind = HopKind.SgOutbound, Target = src.Interface };
        }
        // AWS evaluates NACLs where traffic enters and leaves a subnet, not within it ("Network ACLs").
        if (src.Subnet >= 0 && src.Subnet != dst.Subnet)
        {
            r.Hops[n++] = new HopTrace { Kind = HopKind.NaclOutbound, Target = _rules.SubnetAcl[src.Subnet] };
        }
        if (dst.Subnet >= 0 && src.Subnet != dst.Subnet)
        {
            r.Hops[n++] = new HopTrace { Kind = HopKind.NaclInbound, Target = _rules.SubnetAcl[dst.Subnet] };
        }
        if (dst.Interface >= 0 && _rules.Interfaces[dst.Interface].HasGroups)
        {
            r.Hops[n++] = new HopTrace { Kind = HopKind.SgInbound, Target = dst.Interface };
        }
        r.HopCount = n;
    }

    /// <summary>The packet's flow key (canonical order; <paramref name="swapped"/> when the sender is the key's B).</summary>
    private static FlowKey FlowKeyOf(in PacketInfo p, out bool swapped)
    {
        if (p.Has(PacketFlags.Ports))
        {
            return FlowKey.Canonical(p.Src, p.SrcPort, p.Dst, p.DstPort, p.Protocol, out swapped);
        }
        if (p.Has(PacketFlags.IcmpEcho))
        {
            return FlowKey.Canonical(p.Src, p.IcmpId, p.Dst, p.IcmpId, p.Protocol, out swapped);
        }
        if (p.Has(PacketFlags.Icmp))
        {
            // Other ICMP messages (errors, router/neighbour discovery...) form flows of their own per type/code.
            var tc = (ushort)(p.IcmpType << 8 | p.IcmpCode);
            return FlowKey.Canonical(p.Src, tc, p.Dst, tc, p.Protocol, out swapped);
        }
        return FlowKey.Canonical(p.Src, 0, p.Dst, 0, p.Protocol, out swapped);
    }

    /// <summary>Finds or creates the flow of a packet that has a path; -1 past the flow-record bound.</summary>
    private int AddFlow(in PacketInfo p, in FlowKey key, bool swapped, FlowPath path, out bool isReply)
    {
        var id = Flows.FindOrAdd(in key, _options.MaxFlows, out var created);
        if (id < 0)
        {
            Counters.PacketsOfUnrecordedFlows++;
            isReply = false;
            return -1;
        }
        ref var flow = ref Flows[id];
        var senderIsA = !swapped;
        if (created)
        {
            Begin(ref flow, in p, senderIsA, senderIsA ? path : path.Reversed);
        }
        isReply = senderIsA != flow.ClientIsA;
        return id;
    }

    /// <summary>
    /// A new flow on the endpoints of flow <paramref name="known"/>, begun by <paramref name="p"/> (a new
    /// connection: <see cref="Connections"/>); -1 past the flow-record bound. Same key, so the same path.
    /// </summary>
    private int RestartFlow(in PacketInfo p, int known, bool senderIsA, out bool isReply)
    {
        var path = Flows[known].Path;
        var id = Flows.Restart(known, _options.MaxFlows);
        if (id < 0)
        {
            Counters.PacketsOfUnrecordedFlows++;
            isReply = false;
            return -1;
        }
        ref var flow = ref Flows[id];
        Begin(ref flow, in p, senderIsA, path);
        isReply = senderIsA != flow.ClientIsA;
        return id;
    }

    /// <summary>A flow's first packet: where it begins, which side is the client (inferred unless it opens the connection).</summary>
    private static void Begin(ref FlowRecord flow, in PacketInfo p, bool senderIsA, FlowPath path)
    {
        flow.FirstFrame = p.Frame;
        flow.FirstTimeNs = p.TimestampNs;
        flow.ClientIsA = senderIsA;
        flow.Path = path;
        if (p.Protocol == IpProtocol.Tcp && p.Has(PacketFlags.Tcp))
        {
            var kind = TcpStateMachine.Classify(p.TcpFlags);
            if (kind == TcpPacketKind.SynAck)
            {
                flow.ClientIsA = !senderIsA;
                flow.Flags |= FlowFlags.Inferred;
            }
            else if (kind != TcpPacketKind.Syn)
            {
                flow.ClientIsA = SenderIsClientByPort(p.SrcPort, p.DstPort) == senderIsA;
                flow.Flags |= FlowFlags.Inferred;
            }
        }
        else if (p.Has(PacketFlags.IcmpEcho) && IcmpKind.IsEchoReply(p.Protocol, p.IcmpType))
        {
            flow.ClientIsA = !senderIsA;
            flow.Flags |= FlowFlags.Inferred;
        }
        Connections.Open(ref flow, in p);
    }

    /// <summary>Selects the rule results cached for this packet's flow and sending side (none for a later fragment).</summary>
    private void PrepareRuleCache(in PacketInfo p, int flowId, bool senderIsA)
    {
        _cacheFlow = -1;
        if (flowId < 0 || p.IsLaterFragment)
        {
            return;
        }
        _cacheSide = senderIsA ? 0 : 1;
        Flows[flowId].RuleCache.Prepare(_cacheSide, RuleResultCache.Discriminator(in p));
        _cacheFlow = flowId;
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
        return ref Flows[_cacheFlow].RuleCache.Hops[_cacheSide * 4 + h];
    }

    /// <summary>
    /// The reference id of the first rule of <paramref name="set"/> that admits the packet, or -1;
    /// <paramref name="allPeer"/> tells whether some admitting rule names 0.0.0.0/0 or ::/0.
    /// </summary>
    private int SgRuleMatch(in PacketInfo p, int h, CompiledSgRuleSet set, Direction direction, bool laterFragment, out bool allPeer)
    {
        ref var cached = ref CachedHop(h);
        if (cached != 0)
        {
            allPeer = RuleResultCache.AllPeer(cached);
            return RuleResultCache.Allowed(cached) ? RuleResultCache.RuleId(cached) : -1;
        }
        var match = RuleMatching.FirstSgRule(in p, set, direction, laterFragment, wantAllPeer: true, out allPeer);
        var ruleId = match >= 0 ? set.Rules[match].RuleId : -1;
        cached = RuleResultCache.Encode(Math.Max(ruleId, 0), ruleId >= 0, allPeer);
        return ruleId;
    }

    /// <summary>SPEC §2.7: the well-known (lower) port is the server's; on a tie the sender is taken as client.</summary>
    private static bool SenderIsClientByPort(ushort srcPort, ushort dstPort) => srcPort >= dstPort;

    /// <summary>
    /// Runs the planned hops statefully: consults and updates tracking tables. Returns true when tracking
    /// state decided an SG hop anywhere (so the stateless comparison may differ).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool EvaluateHops(in PacketInfo p, in FlowKey key, bool swapped, ref PacketResult r, ref FlowRecord flow, long now)
    {
        var usedState = false;
        var laterFragment = p.IsLaterFragment;
        for (var h = 0; h < r.HopCount; h++)
        {
            ref var hop = ref r.Hops[h];
            bool allowed;
            switch (hop.Kind)
            {
                case HopKind.NaclOutbound:
                    allowed = EvaluateNacl(in p, ref hop, h, Direction.Outbound, laterFragment, ref r, stateful: true);
                    break;
                case HopKind.NaclInbound:
                    allowed = EvaluateNacl(in p, ref hop, h, Direction.Inbound, laterFragment, ref r, stateful: true);
                    break;
                default:
                    var direction = hop.Kind == HopKind.SgInbound ? Direction.Inbound : Direction.Outbound;
                    allowed = EvaluateSgStateful(in p, in key, swapped, ref hop, h, direction, laterFragment, ref r, ref flow, now);
                    usedState |= hop.Basis != HopBasis.Rule;
                    break;
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
        var laterFragment = p.IsLaterFragment;
        for (var h = 0; h < planned; h++)
        {
            var hop = r.Hops[h];
            var reuse = h < r.HopCount && hop.Basis == HopBasis.Rule;
            bool allowed;
            if (reuse)
            {
                allowed = hop.Allowed;
            }
            else if (hop.Kind is HopKind.NaclInbound or HopKind.NaclOutbound)
            {
                allowed = EvaluateNacl(in p, ref hop, h, hop.Kind == HopKind.NaclInbound ? Direction.Inbound : Direction.Outbound, laterFragment, ref r, stateful: false);
            }
            else
            {
                allowed = EvaluateSgByRules(in p, ref hop, h, hop.Kind == HopKind.SgInbound ? Direction.Inbound : Direction.Outbound, laterFragment, ref r, stateful: false);
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool EvaluateNacl(in PacketInfo p, ref HopTrace hop, int h, Direction direction, bool laterFragment, ref PacketResult r, bool stateful)
    {
        var acl = _rules.Acls[hop.Target];
        hop.Basis = HopBasis.Rule;
        ref var cached = ref CachedHop(h);
        if (cached == 0)
        {
            var ruleId = acl.StarIds[(int)direction];
            var allow = false;
            var list = acl.Lists[CompiledNacl.Slot(direction, p.Src.IsV6)];
            var far = direction == Direction.Inbound ? p.Src : p.Dst;
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

    private bool EvaluateSgByRules(in PacketInfo p, ref HopTrace hop, int h, Direction direction, bool laterFragment, ref PacketResult r, bool stateful)
    {
        var nic = _rules.Interfaces[hop.Target];
        var set = nic.Rules[CompiledNacl.Slot(direction, p.Src.IsV6)];
        var ruleId = SgRuleMatch(in p, h, set, direction, laterFragment, out _);
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool EvaluateSgStateful(in PacketInfo p, in FlowKey flowKey, bool swapped, ref HopTrace hop, int h, Direction direction, bool laterFragment, ref PacketResult r, ref FlowRecord flow, long now)
    {
        var nic = _rules.Interfaces[hop.Target];
        var table = _tables[hop.Target];
        var outbound = direction == Direction.Outbound;
        var kind = TrackKind.Of(in p);
        var existing = -1;

        // The interface's own endpoint is the sender on the way out and the receiver on the way in.
        var key = kind != TrackKind.None ? flowKey.ForInterface(localIsA: outbound != swapped) : default;
        if (kind != TrackKind.None)
        {
            var slot = table.Find(in key, now);
            if (slot >= 0)
            {
                ref var entry = ref table[slot];
                var original = outbound == entry.Has(EntryFlags.OriginLocal);
                var invalid = kind == TrackKind.Tcp
                    && TcpStateMachine.Next(!original, TcpStateMachine.Classify(p.TcpFlags), entry.State) == TcpState.Invalid;
                if (invalid)
                {
                    // netfilter marks the packet INVALID: the entry does not admit it (nor change); rules judge it below.
                    existing = slot;
                }
                else if (kind != TrackKind.IcmpEcho || IcmpKind.IsEchoRequest(p.Protocol, p.IcmpType) == original)
                {
                    if (entry.Has(EntryFlags.Untracked))
                    {
                        // AWS §2.2: an untracked flow's packets are judged by the rules of their own direction.
                        r.Flags |= PacketResultFlags.Untracked;
                        if (!EvaluateSgByRules(in p, ref hop, h, direction, laterFragment, ref r, stateful: true))
                        {
                            return false;
                        }
                        Refresh(table, slot, in p, kind, original, now, ref flow);
                        return true;
                    }
                    hop.Allowed = true;
                    hop.Basis = HopBasis.Tracked;
                    hop.RuleId = nic.TrackedId;
                    flow.Flags |= FlowFlags.UsedTracking;
                    Refresh(table, slot, in p, kind, original, now, ref flow);
                    return true;
                }
                else
                {
                    existing = slot; // an echo message the entry does not expect from this side
                }
            }
        }
        else if (_options.RelatedIcmp && p.IsIcmpError && p.Has(PacketFlags.InnerPorts) && QuotesTrackedFlow(in p, table, outbound ? p.Src : p.Dst, now))
        {
            hop.Allowed = true;
            hop.Basis = HopBasis.Related;
            hop.RuleId = nic.TrackedId;
            flow.Flags |= FlowFlags.UsedTracking;
            return true;
        }

        var tcpKind = p.Protocol == IpProtocol.Tcp && p.Has(PacketFlags.Tcp) ? TcpStateMachine.Classify(p.TcpFlags) : TcpPacketKind.None;
        if (_options.MidstreamStrict && kind == TrackKind.Tcp && tcpKind != TcpPacketKind.Syn)
        {
            hop.Allowed = false;
            hop.Basis = HopBasis.Midstream;
            hop.RuleId = nic.MidstreamId;
            r.Reason = DenyReason.Midstream;
            return false;
        }

        var set = nic.Rules[CompiledNacl.Slot(direction, p.Src.IsV6)];
        var other = nic.Rules[CompiledNacl.Slot(outbound ? Direction.Inbound : Direction.Outbound, p.Src.IsV6)];
        var couldBeUntracked = (kind == TrackKind.Tcp || kind == TrackKind.Udp) && other.OpenToAll[p.Protocol];
        var ruleId = SgRuleMatch(in p, h, set, direction, laterFragment, out var allPeer);
        hop.Basis = HopBasis.Rule;
        if (ruleId < 0)
        {
            hop.Allowed = false;
            hop.RuleId = nic.NoMatchIds[(int)direction];
            r.Reason = DenyReason.SgNoMatch;
            return false;
        }

        var untracked = couldBeUntracked && allPeer;
        if (kind != TrackKind.None && existing < 0 && CreatesEntry(kind, tcpKind, in p))
        {
            if (untracked && table.IsUntrackedFull(now, _options.MaxUntracked))
            {
                // Past the bound that protects this process: judged by its rules packet by packet, as an
                // untracked flow is anyway, but its orientation is not remembered.
                Counters.UntrackedNotKept++;
                flow.Flags |= FlowFlags.Untracked;
                r.Flags |= PacketResultFlags.Untracked;
                hop.Allowed = true;
                hop.RuleId = ruleId;
                return true;
            }
            if (!untracked && table.IsFull(now))
            {
                // AWS: once the connection-tracking allowance is used up, packets of new flows are dropped.
                hop.Allowed = false;
                hop.Basis = HopBasis.TableFull;
                hop.RuleId = nic.TableFullId;
                r.Reason = DenyReason.TableFull;
                return false;
            }
            var originIsSender = kind != TrackKind.Tcp || tcpKind == TcpPacketKind.Syn
                || (tcpKind != TcpPacketKind.SynAck && SenderIsClientByPort(p.SrcPort, p.DstPort));
            var originLocal = originIsSender == outbound;
            var flags = (originLocal ? EntryFlags.OriginLocal : EntryFlags.None)
                | (untracked ? EntryFlags.Untracked : EntryFlags.None);
            if (kind == TrackKind.Tcp && tcpKind != TcpPacketKind.Syn)
            {
                flags |= EntryFlags.Inferred;
                r.Flags |= PacketResultFlags.Inferred;
            }
            var state = kind != TrackKind.Tcp ? TcpState.None
                : tcpKind switch
                {
                    TcpPacketKind.Syn => TcpState.SynSent,
                    TcpPacketKind.SynAck => TcpState.SynRecv,
                    TcpPacketKind.Fin => TcpState.FinWait,
                    _ => TcpState.Established,
                };
            // Only stores to the new entry: its cache line is usually not in the cache, and nothing here
            // waits for it (a new entry's flags have no Stream bit, so its timeout needs nothing from it).
            var slot = table.Insert(in key, now, flags);
            ref var entry = ref table[slot];
            entry.FlowId = r.FlowId;
            entry.State = state;
            entry.Deadline = now + Timeout(state, stream: false, kind) * NsPerSecond;
            if (kind == TrackKind.Tcp)
            {
                flow.TcpState = state;
            }
            flow.Flags |= untracked ? FlowFlags.Untracked : FlowFlags.Tracked;
        }
        if (untracked)
        {
            r.Flags |= PacketResultFlags.Untracked;
        }
        hop.Allowed = true;
        hop.RuleId = ruleId;
        return true;
    }

    /// <summary>Which packets open an entry when the rules allow them.</summary>
    private static bool CreatesEntry(TrackKind.Value kind, TcpPacketKind tcpKind, in PacketInfo p) => kind switch
    {
        // An RST or a flagless segment never opens a connection (netfilter: NONE + RST/none is invalid).
        TrackKind.Tcp => tcpKind is TcpPacketKind.Syn or TcpPacketKind.SynAck or TcpPacketKind.Ack or TcpPacketKind.Fin,
        // An echo reply with no entry is answered to nobody; only requests open echo entries.
        TrackKind.IcmpEcho => IcmpKind.IsEchoRequest(p.Protocol, p.IcmpType),
        _ => true,
    };

    private void Refresh(TrackingTable table, int slot, in PacketInfo p, TrackKind.Value kind, bool original, long now, ref FlowRecord flow)
    {
        ref var entry = ref table[slot];
        switch (kind)
        {
            case TrackKind.Tcp:
            {
                var tcpKind = TcpStateMachine.Classify(p.TcpFlags);
                var next = TcpStateMachine.Next(!original, tcpKind, entry.State);
                if (next == TcpState.Ignore)
                {
                    break; // accepted as tracked; state and timer untouched (netfilter IG cells)
                }
                if (next == TcpState.Reopen)
                {
                    var senderLocal = original == entry.Has(EntryFlags.OriginLocal);
                    entry.Flags = EntryFlags.Used | (entry.Flags & EntryFlags.Untracked) | (senderLocal ? EntryFlags.OriginLocal : EntryFlags.None);
                    entry.State = TcpState.SynSent;
                    entry.Deadline = now + _timeouts.TcpSynSent * NsPerSecond;
                    flow.TcpState = entry.State;
                    break;
                }
                var seenReply = entry.Has(EntryFlags.SeenReply);
                if (!original)
                {
                    entry.Flags |= EntryFlags.SeenReply;
                }
                if (tcpKind == TcpPacketKind.Rst && !seenReply)
                {
                    // netfilter: an RST on an entry that had seen no reply (a refused or aborted attempt) deletes it at once.
                    flow.TcpState = TcpState.Close;
                    table.RemoveAt(slot);
                    return;
                }
                var refresh = !(entry.State == TcpState.SynSent && next == TcpState.SynSent && original && !seenReply);
                entry.State = next;
                flow.TcpState = next;
                if (refresh)
                {
                    entry.Deadline = now + TcpStateMachine.Timeout(next, _timeouts) * NsPerSecond;
                }
                break;
            }
            case TrackKind.Udp:
                if (!original)
                {
                    entry.Flags |= EntryFlags.SeenReply;
                }
                else if (entry.Has(EntryFlags.SeenReply))
                {
                    entry.Flags |= EntryFlags.Stream;
                }
                entry.Deadline = now + Timeout(ref entry, kind) * NsPerSecond;
                break;
            default:
                if (!original)
                {
                    entry.Flags |= EntryFlags.SeenReply;
                }
                entry.Deadline = now + Timeout(ref entry, kind) * NsPerSecond;
                break;
        }
    }

    private long Timeout(ref TrackEntry entry, TrackKind.Value kind) => Timeout(entry.State, entry.Has(EntryFlags.Stream), kind);

    private long Timeout(TcpState state, bool stream, TrackKind.Value kind) => kind switch
    {
        TrackKind.Tcp => TcpStateMachine.Timeout(state, _timeouts),
        TrackKind.Udp => stream ? _timeouts.UdpStream : _timeouts.Udp,
        TrackKind.IcmpEcho => _timeouts.Icmp,
        _ => _timeouts.Other,
    };

    /// <summary>netfilter RELATED: the error quotes a packet of a flow tracked at this interface.</summary>
    private static bool QuotesTrackedFlow(in PacketInfo p, TrackingTable table, IpAddr local, long now)
    {
        if (p.InnerProtocol is not (IpProtocol.Tcp or IpProtocol.Udp))
        {
            return false;
        }
        if (p.InnerSrc != local && p.InnerDst != local)
        {
            return false;
        }
        // The quoted packet's flow, keyed from this interface's side as its own packets were.
        var flow = FlowKey.Canonical(p.InnerSrc, p.InnerSrcPort, p.InnerDst, p.InnerDstPort, p.InnerProtocol, out var swapped);
        var key = flow.ForInterface(localIsA: (p.InnerSrc == local) != swapped);
        var slot = table.Find(in key, now);
        return slot >= 0 && !table[slot].Has(EntryFlags.Untracked);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Account(in PacketInfo p, ref PacketResult r, ref FlowRecord flow, int flowId)
    {
        var allowed = r.Verdict == Verdict.Allow;
        if (allowed)
        {
            Counters.Allowed++;
        }
        else
        {
            Counters.Denied++;
            Counters.DenyReasons[(int)r.Reason]++;
            if (flowId >= 0 && flow.DeniedBy < 0)
            {
                flow.DeniedBy = r.RuleId;
                flow.DeniedFrame = p.Frame;
                flow.DeniedPacketWasReply = r.IsReply;
            }
        }
        var statelessAllowed = r.StatelessVerdict == Verdict.Allow;
        if (!statelessAllowed && flow.StatelessDeniedBy < 0)
        {
            flow.StatelessDeniedBy = r.StatelessRuleId;
        }
        if (r.IsReply)
        {
            if (allowed) flow.ReplyAllowed++; else flow.ReplyDenied++;
            if (statelessAllowed) flow.StatelessReplyAllowed++; else flow.StatelessReplyDenied++;
            flow.ReplyBytes += p.IpLength;
        }
        else
        {
            if (allowed) flow.RequestAllowed++; else flow.RequestDenied++;
            if (statelessAllowed) flow.StatelessRequestAllowed++; else flow.StatelessRequestDenied++;
            flow.RequestBytes += p.IpLength;
        }
        for (var h = 0; h < r.HopCount; h++)
        {
            var ruleId = r.Hops[h].RuleId;
            Counters.RulePackets[ruleId]++;
            if (flowId >= 0 && AddFlowRule(ref flow, flowId, ruleId))
            {
                Counters.RuleFlows[ruleId]++;
            }
        }
    }

    /// <summary>Records that the flow met a reference; true the first time.</summary>
    private bool AddFlowRule(ref FlowRecord flow, int flowId, int ruleId)
    {
        var n = flow.RuleCount;
        for (var i = 0; i < n; i++)
        {
            if (flow.Rules[i] == ruleId)
            {
                return false;
            }
        }
        if (n < FlowRecord.InlineRules)
        {
            flow.Rules[n] = ruleId;
            flow.RuleCount++;
            return true;
        }
        return _flowRuleOverflow.Add((long)flowId << 32 | (uint)ruleId);
    }

    private readonly record struct FragmentKey(IpAddr Src, IpAddr Dst, byte Protocol, uint Id);

    private struct FragmentVerdict
    {
        public long Deadline;
        public int FlowId;
        public bool IsReply;
        public Verdict Verdict;
        public int RuleId;
        public DenyReason Reason;
        public Verdict StatelessVerdict;
        public int StatelessRuleId;
        public int HopCount;
        public HopTraces Hops;
    }

    private void RememberFirstFragment(in PacketInfo p, ref PacketResult r, long now)
    {
        if (_fragments.Count >= _options.MaxFragmentsRemembered)
        {
            PruneFragments(now);
        }
        FirstFragmentsRemembered++;
        _fragments[new FragmentKey(p.Src, p.Dst, p.Protocol, p.FragId)] = new FragmentVerdict
        {
            Deadline = now + _options.FragmentTimeout * NsPerSecond,
            FlowId = r.FlowId,
            IsReply = r.IsReply,
            Verdict = r.Verdict,
            RuleId = r.RuleId,
            Reason = r.Reason,
            StatelessVerdict = r.StatelessVerdict,
            StatelessRuleId = r.StatelessRuleId,
            HopCount = r.HopCount,
            Hops = r.Hops,
        };
    }

    private void PruneFragments(long now)
    {
        foreach (var (key, value) in _fragments)
        {
            if (value.Deadline - now <= 0)
            {
                _fragments.Remove(key);
            }
        }
        if (_fragments.Count >= _options.MaxFragmentsRemembered)
        {
            _fragments.Clear(); // bounded memory wins over remembering: later fragments fall back to port-less rules
        }
    }

    /// <summary>SPEC §2 "Fragments": a later fragment takes its first fragment's verdict when that was seen.</summary>
    private bool FollowFirstFragment(in PacketInfo p, ref PacketResult r, long now)
    {
        if (!_fragments.TryGetValue(new FragmentKey(p.Src, p.Dst, p.Protocol, p.FragId), out var first) || first.Deadline - now <= 0)
        {
            r.Flags |= PacketResultFlags.FragmentWithoutFirst;
            Counters.FragmentsWithoutFirst++;
            return false;
        }
        r.Flags |= PacketResultFlags.FragmentFollowed;
        Counters.FragmentsFollowed++;
        r.FlowId = first.FlowId;
        r.IsReply = first.IsReply;
        r.Verdict = first.Verdict;
        r.RuleId = first.RuleId;
        r.Reason = first.Reason;
        r.StatelessVerdict = first.StatelessVerdict;
        r.StatelessRuleId = first.StatelessRuleId;
        r.HopCount = first.HopCount;
        r.Hops = first.Hops;
        if (first.FlowId < 0)
        {
            _unrecorded = default;
            _unrecorded.DeniedBy = _unrecorded.StatelessDeniedBy = -1;
        }
        ref var flow = ref first.FlowId >= 0 ? ref Flows[first.FlowId] : ref _unrecorded;
        flow.LastTimeNs = now;
        Account(in p, ref r, ref flow, first.FlowId);
        return true;
    }
}
