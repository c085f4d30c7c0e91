using CsCheck;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Engine.Tests.Support;

namespace Firewall.Engine.Tests.Evaluation;

/// <summary>Invariants of stateful evaluation over random rulesets and random interleaved flows.</summary>
public class StatefulPropertyTests
{
    private static readonly string[] Hosts4 = ["10.0.1.10", "10.0.1.20", "10.9.0.5", "10.0.1.77", "198.51.100.7", "203.0.113.9", "192.0.2.1"];
    private static readonly string[] Hosts6 = ["2001:db8:1::10", "2001:db8:1::20", "2001:db8:9::5", "2001:db8:1::77", "2001:db8:ff::1"];

    internal static List<PacketInfo> Traffic(Random rng)
    {
        var flows = Enumerable.Range(0, rng.Next(1, 6)).Select(_ =>
        {
            var hosts = rng.Next(4) == 0 ? Hosts6 : Hosts4;
            var a = hosts[rng.Next(hosts.Length)];
            var b = hosts.Where(h => h != a).ElementAt(rng.Next(hosts.Length - 1));
            return RandomCases.Packet(rng, a, b, 0, 0);
        }).ToList();
        var packets = new List<PacketInfo>();
        var t = 0.0;
        for (var i = 0; i < rng.Next(5, 40); i++)
        {
            var p = flows[rng.Next(flows.Count)];
            if (rng.Next(2) == 0)
            {
                (p.Src, p.Dst, p.SrcPort, p.DstPort) = (p.Dst, p.Src, p.DstPort, p.SrcPort);
                if (p.Has(PacketFlags.IcmpEcho))
                {
                    p.IcmpType = p.Protocol == 1 ? (byte)(p.IcmpType == 8 ? 0 : 8) : (byte)(p.IcmpType == 128 ? 129 : 128);
                }
            }
            if (p.Has(PacketFlags.Tcp))
            {
                p.TcpFlags = new[] { TcpFlag.Syn, (byte)(TcpFlag.Syn | TcpFlag.Ack), TcpFlag.Ack, TcpFlag.Ack, (byte)(TcpFlag.Fin | TcpFlag.Ack), TcpFlag.Rst }[rng.Next(6)];
            }
            t += rng.Next(5) == 0 ? rng.Next(20, 700) : rng.NextDouble();
            p.TimestampNs = (long)(t * 1e9);
            p.Frame = packets.Count + 1;
            packets.Add(p);
        }
        return packets;
    }

    [Fact]
    public void Tracked_admission_needs_an_earlier_rule_admission_and_stateless_is_never_more_permissive()
    {
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            var compiled = RulesetCompiler.Compile(RandomCases.Ruleset(rng));
            var evaluator = new Evaluator(compiled);
            // Keyed by endpoints, not flow: a tracking entry outlives its flow when a new connection reuses the endpoints.
            var admittedByRule = new HashSet<(string Endpoints, int Interface)>();
            var result = default(PacketResult);
            foreach (var packet in Traffic(rng))
            {
                evaluator.Evaluate(in packet, ref result);
                var ends = new[] { $"{packet.Src}:{packet.SrcPort}", $"{packet.Dst}:{packet.DstPort}" }.Order(StringComparer.Ordinal);
                var endpoints = $"{packet.Protocol} {string.Join(" ", ends)}";
                for (var h = 0; h < result.HopCount; h++)
                {
                    var hop = result.Hops[h];
                    if (hop.Kind is not (HopKind.SgInbound or HopKind.SgOutbound))
                    {
                        continue;
                    }
                    if (hop.Basis == HopBasis.Tracked)
                    {
                        Assert.Contains((endpoints, hop.Target), admittedByRule);
                    }
                    if (hop.Basis == HopBasis.Rule && hop.Allowed)
                    {
                        admittedByRule.Add((endpoints, hop.Target));
                    }
                }
                if (result.StatelessVerdict == Verdict.Allow)
                {
                    Assert.Equal(Verdict.Allow, result.Verdict);
                }
            }
            foreach (var flow in evaluator.Flows.Records)
            {
                Assert.True(flow.StatelessRequestAllowed <= flow.RequestAllowed);
                Assert.True(flow.StatelessReplyAllowed <= flow.ReplyAllowed);
            }
            var c = evaluator.Counters;
            Assert.Equal(c.Frames, c.Allowed + c.Denied + c.Skipped + c.NotFiltered + c.Undecodable);
        }, iter: 3_000, threads: 1);
    }
}
