using CsCheck;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;
using Firewall.Engine.Tests.Support;

namespace Firewall.Engine.Tests.Evaluation;

/// <summary>
/// A run split over shards by address pair and merged back is the run of one evaluator: every packet
/// result, every counter and every flow record, in the same order — including past the flow-record bound.
/// </summary>
public class ShardMergerTests
{
    private static (PacketResult[] Results, Counters Counters, FlowRecord[] Flows) Single(CompiledRuleset rules, EvaluationOptions options, List<PacketInfo> packets)
    {
        var evaluator = new Evaluator(rules, options);
        var results = new PacketResult[packets.Count];
        for (var i = 0; i < packets.Count; i++)
        {
            evaluator.Evaluate(packets[i], ref results[i]);
        }
        return (results, evaluator.Counters, evaluator.Flows.Records.ToArray());
    }

    private static (PacketResult[] Results, Counters Counters, FlowRecord[] Flows) Sharded(CompiledRuleset rules, EvaluationOptions options, List<PacketInfo> packets, ShardSplit split)
    {
        var shards = split.Shards;
        var evaluators = Enumerable.Range(0, shards).Select(_ => new Evaluator(rules, options)).ToArray();
        var results = new PacketResult[packets.Count];
        var owner = new int[packets.Count];
        // Shards run one after another here: each sees only its own packets, in capture order, as a thread would.
        for (var s = 0; s < shards; s++)
        {
            for (var i = 0; i < packets.Count; i++)
            {
                var p = packets[i];
                if (split.ShardOf(in p) == s)
                {
                    owner[i] = s;
                    evaluators[s].Evaluate(in p, ref results[i]);
                }
            }
        }
        var merger = new ShardMerger(evaluators);
        for (var i = 0; i < packets.Count; i++)
        {
            merger.Map(owner[i], ref results[i]);
        }
        Assert.Empty(merger.Caveats());
        var (counters, flows) = merger.Finish();
        return (results, counters, flows.Records.ToArray());
    }

    [Fact]
    public void Sharded_and_merged_runs_equal_one_evaluator()
    {
        var usedShards = new bool[4];
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            var rules = RulesetCompiler.Compile(RandomCases.Ruleset(rng));
            var packets = StatefulPropertyTests.Traffic(rng);
            var options = new EvaluationOptions { MaxFlows = rng.Next(3) == 0 ? rng.Next(1, 4) : 1_000_000 };
            var split = ShardSplit.WithFirstShare(rng.Next(2, 5), rng.Next(0, 101));
            var single = Single(rules, options, packets);
            var sharded = Sharded(rules, options, packets, split);
            var even = ShardSplit.WithFirstShare(4, 100);
            foreach (var p in packets)
            {
                usedShards[even.ShardOf(in p)] = true;
            }

            for (var i = 0; i < packets.Count; i++)
            {
                Assert.Equal(Describe(single.Results[i]), Describe(sharded.Results[i]));
            }
            Assert.Equal(Describe(single.Counters), Describe(sharded.Counters));
            Assert.Equal(single.Flows.Length, sharded.Flows.Length);
            for (var f = 0; f < single.Flows.Length; f++)
            {
                Assert.Equal(Describe(single.Flows[f]), Describe(sharded.Flows[f]));
            }
        }, iter: 2000, threads: 1);
        Assert.All(usedShards, Assert.True); // the traffic really was spread
    }

    [Theory]
    [InlineData(30, true)] // 40 untracked flows: no shard reaches 30 alone, one thread would have
    [InlineData(1000, false)]
    public void A_bound_enforced_per_thread_is_reported_when_the_shards_together_reach_it(int maxUntracked, bool reported)
    {
        var rules = new RulesetBuilder()
            .Interface("i-1", "10.0.1.10", groups: "open")
            .Sg("open", Direction.Inbound, "tcp", "0.0.0.0/0", "80")
            .Sg("open", Direction.Outbound, "all", "0.0.0.0/0")
            .Compile();
        var packets = Enumerable.Range(0, 40).Select(i => Support.Packets.Tcp($"198.51.100.{i + 1}:50000", "10.0.1.10:80", "S", i * 0.001)).ToList();
        var options = new EvaluationOptions { MaxUntracked = maxUntracked };
        var split = ShardSplit.WithFirstShare(2, 100);
        var evaluators = new[] { new Evaluator(rules, options), new Evaluator(rules, options) };
        var result = new PacketResult();
        foreach (var p in packets)
        {
            evaluators[split.ShardOf(in p)].Evaluate(in p, ref result);
            Assert.True(result.Has(PacketResultFlags.Untracked));
        }
        Assert.All(evaluators, e => Assert.True(e.Tables[0].UntrackedCount is > 0 and < 30));
        Assert.All(evaluators, e => Assert.Equal(0, e.Counters.UntrackedNotKept));

        var caveats = new ShardMerger(evaluators).Caveats();

        if (reported)
        {
            var caveat = Assert.Single(caveats);
            Assert.StartsWith("interface i-1 opened 40 untracked entries, at or past their bound of 30; the bound was enforced per thread", caveat);
        }
        else
        {
            Assert.Empty(caveats);
        }
    }

    private static string Describe(PacketResult r)
    {
        var hops = string.Join(",", Enumerable.Range(0, r.HopCount).Select(h => $"{r.Hops[h].Kind}/{r.Hops[h].Target}/{r.Hops[h].Allowed}/{r.Hops[h].Basis}/{r.Hops[h].RuleId}"));
        return $"{r.Frame} {r.Verdict} {r.RuleId} {r.Reason} {r.StatelessVerdict} {r.StatelessRuleId} flow={r.FlowId} reply={r.IsReply} {r.Flags} [{hops}]";
    }

    private static string Describe(Counters c) =>
        $"{c.Frames} {c.Allowed} {c.Denied} {c.Skipped} {c.NotFiltered} {c.Undecodable} {c.FragmentsFollowed} {c.FragmentsWithoutFirst} {c.PacketsOfUnrecordedFlows} {c.UntrackedNotKept} "
        + $"p[{string.Join(",", c.RulePackets)}] f[{string.Join(",", c.RuleFlows)}] r[{string.Join(",", c.DenyReasons)}]";

    private static string Describe(FlowRecord f)
    {
        var rules = string.Join(",", Enumerable.Range(0, f.RuleCount).Select(i => f.Rules[i]));
        return $"{f.Key.A}:{f.Key.APort} {f.Key.B}:{f.Key.BPort} {f.Key.Protocol} {f.ClientIsA} {f.FirstFrame} {f.FirstTimeNs} {f.LastTimeNs} "
            + $"{f.RequestAllowed}/{f.RequestDenied}/{f.ReplyAllowed}/{f.ReplyDenied} {f.RequestBytes}/{f.ReplyBytes} "
            + $"{f.StatelessRequestAllowed}/{f.StatelessRequestDenied}/{f.StatelessReplyAllowed}/{f.StatelessReplyDenied} "
            + $"{f.DeniedBy} {f.DeniedFrame} {f.DeniedPacketWasReply} {f.StatelessDeniedBy} {f.TcpState} {f.Flags} [{rules}]";
    }
}
