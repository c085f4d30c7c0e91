using CsCheck;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Engine.Tests.Support;

namespace Firewall.Engine.Tests.Evaluation;

/// <summary>
/// A flow's path and rule results live in a table of reused slots (<see cref="LiveFlows"/>): a flow whose slot
/// a newer flow took gets them again, so nothing a run reports may depend on how many slots there are.
/// </summary>
public class LiveFlowsTests
{
    [Fact]
    public void Results_and_flows_are_the_same_when_every_new_flow_takes_the_only_slot()
    {
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            var compiled = RulesetCompiler.Compile(RandomCases.Ruleset(rng));
            var packets = StatefulPropertyTests.Traffic(rng);
            var roomy = new Evaluator(compiled);
            var tiny = new Evaluator(compiled, null, liveFlowSlots: 1);
            var a = default(PacketResult);
            var b = default(PacketResult);
            foreach (var packet in packets)
            {
                roomy.Evaluate(in packet, ref a);
                tiny.Evaluate(in packet, ref b);
                Assert.Equal(Describe(a), Describe(b));
            }
            Assert.Equal(roomy.Flows.Count, tiny.Flows.Count);
            for (var id = 0; id < roomy.Flows.Count; id++)
            {
                Assert.Equal(Describe(roomy.Flows[id]), Describe(tiny.Flows[id]));
            }
        }, iter: 500);
    }

    [Fact]
    public void A_flow_whose_slot_was_taken_gets_it_back_with_no_rule_results()
    {
        var live = new LiveFlows(maxSlots: 4);
        var path = new FlowPath(new FlowPath.Place(1, 2), new FlowPath.Place(-1, 0));
        live.Take(1, path);
        live[1].Rules.Hops[0] = 7;
        Assert.True(live.Holds(1));
        live.Take(5, path.Reversed); // 5 & 3 == 1
        Assert.False(live.Holds(1));
        Assert.True(live.Holds(5));
        Assert.Equal(path.Reversed, live[5].Path);
        Assert.Equal(0, live[5].Rules.Hops[0]);
        live.Clear();
        Assert.False(live.Holds(5));
    }

    [Fact]
    public void Growing_keeps_every_flow_in_its_slot()
    {
        var live = new LiveFlows(maxSlots: 1 << 12);
        for (var id = 0; id < 3000; id++)
        {
            live.Take(id, new FlowPath(new FlowPath.Place(id, id), new FlowPath.Place(-1, -1)));
        }
        for (var id = 0; id < 3000; id++)
        {
            Assert.True(live.Holds(id), $"flow {id}");
            Assert.Equal(id, live[id].Path.A.Interface);
        }
    }

    private static string Describe(PacketResult r)
    {
        var hops = string.Join(" ", Enumerable.Range(0, r.HopCount).Select(h => r.Hops[h]).Select(h => $"{h.Kind}/{h.Target}/{h.Allowed}/{h.Basis}/{h.RuleId}"));
        return $"{r.Frame} {r.Verdict} {r.RuleId} {r.Reason} {r.Flags} {r.FlowId} {r.IsReply} {r.StatelessVerdict} {r.StatelessRuleId} [{hops}]";
    }

    private static string Describe(FlowRecord f) =>
        $"{f.Client} {f.Server} {f.ClientPort} {f.ServerPort} {f.FirstFrame} {f.LastTimeNs} {f.RequestAllowed}/{f.RequestDenied}/{f.ReplyAllowed}/{f.ReplyDenied} " +
        $"{f.StatelessRequestAllowed}/{f.StatelessRequestDenied}/{f.StatelessReplyAllowed}/{f.StatelessReplyDenied} {f.DeniedBy} {f.StatelessDeniedBy} " +
        $"{f.TcpState} {f.Flags} {f.Connection} {f.RuleCount} {f.Outcome}";
}
