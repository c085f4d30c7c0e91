using Firewall.Analysis.Reachability;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;
using Firewall.Flows.Definitions;
using Firewall.Flows.Synthesis;
using Firewall.Tests.Support;
using Xunit.Abstractions;

namespace Firewall.Analysis.Tests.Reachability;

/// <summary>
/// The answers are exact: on random rulesets and random sets, every sampled packet of the set lies in
/// exactly one class, and that class says what <c>check --flows</c> gives the packet's flow: the flow is
/// synthesized by the flows synthesizer and replayed through a fresh evaluator, as <c>check --flows</c> does,
/// independently of the exchange the analysis plays. Samples favour the values where answers change
/// (rule ports and their neighbours, interface and subnet edges).
/// </summary>
public sealed class ExactnessTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_packet_lies_in_one_class_whose_answer_is_what_check_gives_its_flow()
    {
        var (rulesets, samples, classes) = (0, 0, 0);
        for (var seed = 0; seed < 120; seed++)
        {
            var rng = new Random(seed);
            var ruleset = RandomRulesets.Ruleset(rng);
            var compiled = RulesetCompiler.Compile(ruleset);
            for (var s = 0; s < 3; s++)
            {
                var text = RandomRulesets.Set(rng, ruleset);
                var set = PacketSetParser.Parse(text, ruleset, out var error);
                Assert.True(set is not null, $"seed {seed}: {text}: {error}");
                var answer = Answers.Query(compiled, set);
                rulesets++;
                classes += answer.Classes.Count;
                foreach (var request in Sample(rng, set, ruleset, 40))
                {
                    samples++;
                    var holding = answer.Classes.Where(c => c.Packets.Contains(request)).ToList();
                    Assert.True(holding.Count == 1, $"seed {seed}, set '{text}': {request} lies in {holding.Count} classes");
                    var expected = CheckFlows(compiled, request);
                    var got = holding[0].Outcome;
                    Assert.True(Same(expected, got), $"seed {seed}, set '{text}': {request}: check gives {expected}, its class says {got}");
                }
            }
        }
        output.WriteLine($"{rulesets} sets over random rulesets, {classes} classes, {samples} packets sampled");
    }

    /// <summary>The same on every shipped ruleset, for every packet ("* * -> *"), with realistic NACLs and groups.</summary>
    [Theory]
    [MemberData(nameof(ShippedRulesets))]
    public void Every_packet_of_a_shipped_ruleset_lies_in_one_class_whose_answer_is_what_check_gives(string name)
    {
        var loaded = Firewall.Rulesets.RulesetLoader.LoadFile(Path.Combine(Repository.Root, "rulesets", name));
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        var ruleset = loaded.Ruleset!;
        var compiled = RulesetCompiler.Compile(ruleset);
        var set = PacketSetParser.Parse("* * -> *", ruleset, out _)!;
        var answer = Answers.Query(compiled, set);
        var rng = new Random(name.Length);
        var samples = 0;
        foreach (var request in Sample(rng, set, ruleset, 1500))
        {
            samples++;
            var holding = answer.Classes.Where(c => c.Packets.Contains(request)).ToList();
            Assert.True(holding.Count == 1, $"{name}: {request} lies in {holding.Count} classes");
            var expected = CheckFlows(compiled, request);
            Assert.True(Same(expected, holding[0].Outcome), $"{name}: {request}: check gives {expected}, its class says {holding[0].Outcome}");
        }
        output.WriteLine($"{name}: {answer.Classes.Count} classes, {answer.Stats}, {samples} packets sampled");
    }

    public static TheoryData<string> ShippedRulesets() => new(Repository.ShippedRulesets().Select(Path.GetFileName)!);

    /// <summary>
    /// A static diff holds every packet whose outcome or deciding rule differs between the rulesets, and
    /// no packet whose answer is the same: random pairs, each a ruleset and the same with one rule changed.
    /// </summary>
    [Fact]
    public void A_static_diff_holds_exactly_the_packets_whose_answer_changes()
    {
        var (pairs, differing, inClasses) = (0, 0, 0);
        for (var seed = 0; seed < 120; seed++)
        {
            var rng = new Random(1000 + seed);
            var before = RandomRulesets.Ruleset(rng);
            var after = RandomRulesets.Mutate(before, rng);
            var (old, @new) = (RulesetCompiler.Compile(before), RulesetCompiler.Compile(after));
            var text = rng.Next(3) == 0 ? "* * -> *" : RandomRulesets.Set(rng, before);
            var set = PacketSetParser.Parse(text, before, out var error);
            Assert.True(set is not null, $"seed {seed}: {text}: {error}");
            var diff = Answers.Diff(old, @new, set);
            pairs++;
            // Random packets, and packets of every class either ruleset's own answer draws: where the changed
            // rule makes a difference, one of those classes holds it.
            var probes = Sample(rng, set, before, 60)
                .Concat(Answers.Query(old, set).Classes.Concat(Answers.Query(@new, set).Classes).SelectMany(c => Members(rng, c.Packets, 2)));
            foreach (var request in probes)
            {
                var (o, n) = (Answers.Of(old, request), Answers.Of(@new, request));
                var reported = diff.Classes.Where(c => c.Packets.Contains(request)).ToList();
                Assert.True(reported.Count <= 1, $"seed {seed}: {request} lies in {reported.Count} classes of the diff");
                if (o != n)
                {
                    differing++;
                    Assert.True(reported.Count == 1, $"seed {seed}, set '{text}': {request} changes ({o} → {n}) but no class of the diff holds it");
                }
                if (reported.Count == 1)
                {
                    Assert.Equal(o, reported[0].Old);
                    Assert.Equal(n, reported[0].New);
                }
            }
            // And from the other side: packets of every reported class do change, as the class says.
            foreach (var c in diff.Classes)
            {
                inClasses++;
                foreach (var member in Members(rng, c.Packets, 3))
                {
                    Assert.Equal(c.Old, Answers.Of(old, member));
                    Assert.Equal(c.New, Answers.Of(@new, member));
                }
            }
        }
        output.WriteLine($"{pairs} ruleset pairs, {differing} sampled packets that change, {inClasses} diff classes");
    }

    /// <summary>Random requests of the set, most of them on values where rules and topology draw lines.</summary>
    internal static IEnumerable<RequestHeader> Sample(Random rng, PacketSet set, Ruleset ruleset, int count)
    {
        var parts = set.Parts.Where(p => !p.IsEmpty).ToList();
        if (parts.Count == 0)
        {
            yield break;
        }
        // The values where answers change: every CIDR's first and last address, interface addresses, rule
        // ports and their neighbours; and the pools the random rulesets draw from.
        var ruleCidrs = ruleset.NetworkAcls.SelectMany(a => a.Inbound.Concat(a.Outbound)).Select(r => r.Cidr)
            .Concat(ruleset.SecurityGroups.SelectMany(g => g.Inbound.Concat(g.Outbound)).Where(r => r.Peer.Kind == PeerKind.Cidr).Select(r => r.Peer.Cidr))
            .Concat(ruleset.PrefixLists.SelectMany(p => p.Cidrs));
        var cidrs = ruleset.Subnets.SelectMany(s => new[] { s.Cidr, s.Ipv6Cidr }).OfType<Cidr>()
            .Concat(RandomRulesets.Cidrs4.Concat(RandomRulesets.Cidrs6).Select(Cidr.Parse))
            .Concat(ruleCidrs)
            .Select(PacketSetParser.Range);
        var addresses = ruleset.Interfaces.SelectMany(i => i.Addresses).Select(a => a.Value)
            .Concat(cidrs.SelectMany(c => new[] { c.Lo, c.Hi, c.Lo + 1 }))
            .ToList();
        var rulePorts = ruleset.NetworkAcls.SelectMany(a => a.Inbound.Concat(a.Outbound)).Select(r => r.Ports)
            .Concat(ruleset.SecurityGroups.SelectMany(g => g.Inbound.Concat(g.Outbound)).Select(r => r.Ports))
            .SelectMany(r => new[] { (int)r.From, r.To });
        var ports = RandomRulesets.Ports.Select(p => (int)p).Concat(rulePorts).Concat([67, 68, 546, 547])
            .SelectMany(p => new[] { p - 1, p, p + 1 }).Where(p => p is > 0 and < 65536).Distinct().Select(p => (UInt128)p).ToList();
        UInt128[] types = [0, 3, 8, 11, 128, 129, 135, 1, 200];
        for (var i = 0; i < count * 4 && count > 0; i++)
        {
            var part = parts[rng.Next(parts.Count)];
            var protocol = (byte)Draw(rng, part.Protocols, [1, 6, 17, 47, 58, 50]);
            var request = new RequestHeader(
                protocol,
                Address(Draw(rng, part.Sources, addresses), part.V6),
                Address(Draw(rng, part.Destinations, addresses), part.V6),
                (ushort)Draw(rng, part.SourcePorts, ports),
                (ushort)Draw(rng, part.DestinationPorts, ports),
                (byte)Draw(rng, part.IcmpTypes, types),
                (byte)Draw(rng, part.IcmpCodes, [0, 1, 4]));
            // A request that is its own reply (one interface to itself on one port, or another protocol) is in no set.
            if (request.Source == request.Destination && !IpProtocol.IsIcmp(protocol) && (!IpProtocol.HasPorts(protocol) || request.SourcePort == request.DestinationPort))
            {
                continue;
            }
            yield return request;
            if (--count == 0)
            {
                yield break;
            }
        }

        static IpAddr Address(UInt128 v, bool v6) => v6 ? IpAddr.FromV6((ulong)(v >> 64), (ulong)v) : IpAddr.FromV4((uint)v);
    }

    /// <summary>The class's example and random members of it (none that is its own reply).</summary>
    internal static IEnumerable<RequestHeader> Members(Random rng, AnswerClass c, int count)
    {
        yield return c.Example;
        for (var i = 0; i < count; i++)
        {
            UInt128 Value(Dim dim, UInt128 fallback) => c.Sets.TryGetValue(dim, out var set) ? Draw(rng, set, []) : fallback;
            var e = c.Example;
            IpAddr Address(UInt128 v) => c.IsV6 ? IpAddr.FromV6((ulong)(v >> 64), (ulong)v) : IpAddr.FromV4((uint)v);
            var member = new RequestHeader(
                (byte)Value(Dim.Protocol, e.Protocol),
                Address(Value(Dim.Source, 0)),
                Address(Value(Dim.Destination, 0)),
                (ushort)Value(Dim.SourcePort, e.SourcePort),
                (ushort)Value(Dim.DestinationPort, e.DestinationPort),
                (byte)Value(Dim.IcmpType, e.IcmpType),
                (byte)Value(Dim.IcmpCode, e.IcmpCode));
            if (member.Source == member.Destination && !IpProtocol.IsIcmp(member.Protocol)
                && (!IpProtocol.HasPorts(member.Protocol) || member.SourcePort == member.DestinationPort))
            {
                continue;
            }
            yield return member;
        }
    }

    /// <summary>A value of <paramref name="domain"/>: a favoured one it holds, half the time, else a random one.</summary>
    private static UInt128 Draw(Random rng, IntervalSet domain, IReadOnlyList<UInt128> favoured)
    {
        if (rng.Next(2) == 0)
        {
            var held = favoured.Where(domain.Contains).ToList();
            if (held.Count > 0)
            {
                return held[rng.Next(held.Count)];
            }
        }
        var interval = domain.Intervals[rng.Next(domain.Intervals.Count)];
        var span = interval.Hi - interval.Lo;
        var offset = span == UInt128.MaxValue ? new UInt128((ulong)rng.NextInt64(), (ulong)rng.NextInt64())
            : span == 0 ? UInt128.Zero : new UInt128((ulong)rng.NextInt64(), (ulong)rng.NextInt64()) % (span + 1);
        return interval.Lo + offset;
    }

    /// <summary>
    /// What <c>check --flows</c> gives the request's flow: the flows synthesizer's exchange for its protocol
    /// (a full TCP connection, a UDP request and reply, an echo and its reply, one other ICMP message,
    /// another protocol's packet and one back), through a fresh evaluator, ending at its first drop
    /// (<see cref="EnforcedReplay"/>).
    /// </summary>
    internal static ClassOutcome CheckFlows(CompiledRuleset rules, RequestHeader r)
    {
        var exchange = r.Protocol switch
        {
            IpProtocol.Tcp => Flows.Definitions.Exchange.TcpFull,
            IpProtocol.Udp => Flows.Definitions.Exchange.RequestReply,
            IpProtocol.Icmp or IpProtocol.IcmpV6 => IcmpKind.IsEchoRequest(r.Protocol, r.IcmpType) ? Flows.Definitions.Exchange.Echo : Flows.Definitions.Exchange.IcmpMessage,
            _ => Flows.Definitions.Exchange.RequestReply,
        };
        var ports = IpProtocol.HasPorts(r.Protocol);
        var flow = new FlowTuple(r.Protocol,
            new FlowEndpoint(r.Source, ports ? new PortSpec(r.SourcePort, false) : PortSpec.None, null),
            new FlowEndpoint(r.Destination, ports ? new PortSpec(r.DestinationPort, false) : PortSpec.None, null),
            r.ToString());
        var definition = new FlowDefinition { Index = 0, Flow = flow, Exchange = exchange, IcmpType = r.IcmpType, IcmpCode = r.IcmpCode };
        var evaluator = new Evaluator(rules);
        string? requestRule = null, replyRule = null;
        var (skipped, bypass, first, flowId) = (false, false, true, -1);
        foreach (var (packet, result, fromServer) in EnforcedReplay.Play(new FlowsFile("", FlowTiming.DefaultStartNs, rules.Model, [definition]), evaluator))
        {
            if (first)
            {
                (skipped, bypass, flowId, first) = (result.Verdict == Verdict.Skip, result.Has(PacketResultFlags.NotFiltered), result.FlowId, false);
            }
            var isReply = result.FlowId >= 0 ? result.IsReply : fromServer;
            if (!isReply)
            {
                requestRule ??= rules.Rules.Reference(result.RuleId);
            }
            else
            {
                replyRule ??= rules.Rules.Reference(result.RuleId);
            }
        }
        if (skipped || flowId < 0)
        {
            var outcome = bypass ? "allowed" : "skip";
            return new ClassOutcome(outcome, outcome, requestRule, replyRule);
        }
        var record = evaluator.Flows[flowId];
        return new ClassOutcome(FlowRecord.Name(record.Outcome), FlowRecord.Name(record.StatelessOutcome), requestRule, replyRule);
    }

    /// <summary>
    /// The partition drops a group's rules after the first that covers a cell, except the group's later rules
    /// for 0.0.0.0/0: whether one of them admits the request too decides, with an outbound rule open to all,
    /// that the flow is untracked (its replies are then judged by that outbound rule, not by the tracking
    /// table). Here 10.0.0.0/8 is admitted on every port by the first rule, and on 443 also by a later rule
    /// for 0.0.0.0/0: port 443's flows are untracked, port 80's are tracked. (The interface is in no subnet,
    /// so no NACL hop follows and a reply's deciding reference is the group's: the outbound rule, or conntrack.)
    /// </summary>
    [Fact]
    public void A_later_rule_for_every_address_still_decides_whether_a_flow_is_tracked()
    {
        var loaded = Firewall.Rulesets.RulesetLoader.LoadText("""
            version: 1
            name: untracked
            interfaces:
              web-1: { addresses: [10.9.0.10], security_groups: [g] }
            security_groups:
              g:
                inbound:
                  - { protocol: tcp, source: 10.0.0.0/8 }
                  - { protocol: tcp, ports: 443, source: 0.0.0.0/0 }
                outbound:
                  - { protocol: all, destination: 0.0.0.0/0 }
            """, "untracked.yaml");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        var compiled = RulesetCompiler.Compile(loaded.Ruleset!);
        var answer = Answers.Query(compiled, PacketSetParser.Parse("tcp 10.1.1.1 -> web-1", loaded.Ruleset!, out _)!);
        var replyRules = new HashSet<string?>();
        foreach (var port in new ushort[] { 80, 443 })
        {
            var request = new RequestHeader(IpProtocol.Tcp, IpAddr.Parse("10.1.1.1"), IpAddr.Parse("10.9.0.10"), 51514, port, 0, 0);
            var expected = CheckFlows(compiled, request);
            var outcome = Assert.Single(answer.Classes, c => c.Packets.Contains(request)).Outcome;
            Assert.True(Same(expected, outcome), $"{request}: check gives {expected}, its class says {outcome}");
            replyRules.Add(outcome.ReplyRule);
        }
        Assert.Equal(2, replyRules.Count); // one tracked (conntrack:web-1), one untracked (the outbound rule)
    }

    /// <summary>The four facts agree; a denied request has no reply rule (the responder answers only what reaches it).</summary>
    private static bool Same(ClassOutcome check, ClassOutcome answer) =>
        check.Outcome == answer.Outcome && check.StatelessOutcome == answer.StatelessOutcome && check.RequestRule == answer.RequestRule
        && (answer.Outcome == "request-denied" ? answer.ReplyRule is null : check.ReplyRule == answer.ReplyRule);
}
